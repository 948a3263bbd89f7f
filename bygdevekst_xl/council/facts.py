"""What one municipality's council pack is about: the figures, its share, the version and date."""

from __future__ import annotations

import datetime as dt

from ..dataclass import dataclass, field
from .figures import Figures, Share, whole


@dataclass(frozen=True)
class Facts:
    """Everything the PDF and the draft decision of one municipality print."""

    figures: Figures
    share: Share
    digest: str
    date: dt.date
    workbook: str
    draft: bool = False
    errors: list[str] = field(default_factory=list)
    """The check's errors, one line each (``Ark!A1: melding``); printed on a draft."""
    warnings: int = 0

    @staticmethod
    def whole(value: float) -> int:
        """A total as whole kroner."""
        return whole(value, "total")
