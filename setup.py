"""Package discovery: every package under bygdevekst_xl/, plus the two data folders that ship
inside it (see pyproject.toml's package-dir). Everything else is declared in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["bygdevekst_xl", "bygdevekst_xl.*"]),
        "bygdevekst_xl.schemas",
        "bygdevekst_xl.examples",
    ]
)
