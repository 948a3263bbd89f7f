"""``python -m bygdevekst_xl``."""

from .cli import main

raise SystemExit(main())
