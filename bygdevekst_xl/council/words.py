"""How a council pack writes numbers, dates and names (bokmål conventions)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from ..messages import MINUS, NBSP
from ..texts import period_label

__all__ = ["date_text", "hours_text", "kroner_text", "period_label", "slug", "thousands"]


def thousands(value: int) -> str:
    """``1 234 568``: whole numbers grouped by no-break spaces, ``−12 500`` with a true minus
    sign (U+2212)."""
    text = f"{abs(value):,}".replace(",", NBSP)
    return f"{MINUS}{text}" if value < 0 else text


def kroner_text(value: int) -> str:
    """``1 234 568 kr`` (no-break spaces: an amount never breaks over two lines)."""
    return f"{thousands(value)}{NBSP}kr"


def hours_text(value: float) -> str:
    """Hours as typed: ``1 160`` or ``150,5`` (decimal comma, no trailing zeros)."""
    if float(value).is_integer():
        return thousands(int(value))
    whole_part, _, decimals = f"{abs(value):.6f}".rstrip("0").partition(".")
    sign = MINUS if value < 0 else ""
    return f"{sign}{thousands(int(whole_part))},{decimals}"


def date_text(value: str | dt.date) -> str:
    """``22.11.2023`` for an ISO date; other text as it is."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return value


def slug(name: str) -> str:
    """A file-name part for a municipality: ``Måsøy`` -> ``masoy``."""
    folded = name.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    out = "".join(ch if ch.isalnum() else "-" for ch in ascii_only).strip("-")
    return "-".join(part for part in out.split("-") if part) or "kommune"
