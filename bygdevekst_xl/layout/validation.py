"""Data validation rules and status formats, with their messages in bokmål."""

from __future__ import annotations

from typing import Any

from ..texts import OK
from .cells import ConditionalFormat

AMOUNT: dict[str, Any] = {
    "validate": "integer",
    "criteria": ">=",
    "value": 0,
    "input_title": "Beløp i hele kroner",
    "input_message": "Skriv et helt beløp i kroner, 0 eller mer, uten mellomrom eller «kr».",
    "error_title": "Ugyldig beløp",
    "error_message": "Beløpet må være et helt antall kroner, 0 eller mer.",
    "error_type": "stop",
}
HOURS: dict[str, Any] = {
    "validate": "decimal",
    "criteria": ">=",
    "value": 0,
    "input_title": "Timer",
    "input_message": "Antall timer kommunen setter av dette året (0 eller mer).",
    "error_title": "Ugyldig antall timer",
    "error_message": "Antall timer må være et tall, 0 eller mer.",
    "error_type": "stop",
}
CATEGORY: dict[str, Any] = {
    "validate": "list",
    "source": "=Kategorier",
    "input_title": "Kategori",
    "input_message": "Velg kategori fra listen. Se arket Parametre for hva KDD kan finansiere.",
    "error_title": "Ukjent kategori",
    "error_message": "Velg en kategori fra listen (arket Parametre).",
    "error_type": "stop",
}
TEXT: dict[str, Any] = {
    "validate": "length",
    "criteria": "<=",
    "value": 255,
    "input_title": "Beskrivelse",
    "input_message": "Hva kostnaden gjelder (høyst 255 tegn).",
    "error_title": "For lang tekst",
    "error_message": "Beskrivelsen kan være høyst 255 tegn.",
    "error_type": "stop",
}


def status_formats(row: int, col: int) -> list[ConditionalFormat]:
    """Green when a status cell says OK, red otherwise."""
    return [
        ConditionalFormat(
            row, col, row, col, {"type": "cell", "criteria": "==", "value": f'"{OK}"'}, "good"
        ),
        ConditionalFormat(
            row, col, row, col, {"type": "cell", "criteria": "!=", "value": f'"{OK}"'}, "bad"
        ),
    ]


def zero_formats(
    first_row: int, first_col: int, last_row: int, last_col: int
) -> list[ConditionalFormat]:
    """Green when a balance is zero, red otherwise."""
    return [
        ConditionalFormat(
            first_row,
            first_col,
            last_row,
            last_col,
            {"type": "cell", "criteria": "==", "value": 0},
            "good",
        ),
        ConditionalFormat(
            first_row,
            first_col,
            last_row,
            last_col,
            {"type": "cell", "criteria": "!=", "value": 0},
            "bad",
        ),
    ]
