"""The file-name part of each municipality's documents: readable, short and distinct.

``slug`` makes ``Måsøy`` into ``masoy``; two names can give the same part (``Ås`` and ``As``
both give ``as``) and a long name gives one no file system takes. Here each part is cut to
``MAX_SLUG`` characters, and where two municipalities would share one, each of them gets the
first characters of the SHA-256 of its own name after it (``as-6e4f1c``), so a name does not
depend on which municipalities the pack is made for or in which order.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .words import slug

MAX_SLUG = 60
HASH_DIGITS = 6


def file_parts(municipalities: Sequence[str]) -> dict[str, str]:
    """Each municipality's file-name part, distinct from every other's."""
    plain = {name: slug(name)[:MAX_SLUG].rstrip("-") or "kommune" for name in municipalities}
    shared = Counter(plain.values())
    return {
        name: f"{part}-{_short_hash(name)}" if shared[part] > 1 else part
        for name, part in plain.items()
    }


def _short_hash(name: str) -> str:
    normal = unicodedata.normalize("NFC", name)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:HASH_DIGITS]
