"""bygdevekst_xl: generate, check and regenerate the Excel budget of a bygdevekstavtale."""

from .model import Budget, Category, CostLine, Pilot, Project
from .spec import SpecError, example_path, load_spec

__all__ = [
    "Budget",
    "Category",
    "CostLine",
    "Pilot",
    "Project",
    "SpecError",
    "example_path",
    "load_spec",
]
__version__ = "0.1.0"
