"""``python -m bygdevekst_xl``."""

from .cli import entry

raise SystemExit(entry())
