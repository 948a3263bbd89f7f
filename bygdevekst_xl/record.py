"""The generation record: the spec a workbook was generated from, kept inside the workbook.

Where: custom document properties (``docProps/custom.xml``), as the layout version already is.
Excel keeps them on every save (File › Info › Properties › Advanced › Custom lists them; they
are how document management and sensitivity labels tag a file), LibreOffice keeps them as
"Custom Properties" and Gnumeric as document metadata; the tests save through LibreOffice and
Gnumeric and read the record back. Nobody stumbles on them while working in the sheets.

What: the spec in canonical form (``budget_to_dict`` as JSON, keys sorted, no spaces), its
SHA-256 digest, the layout version and the tool version. Excel keeps at most 255 characters in
one property, so the spec goes zlib-compressed and base64-encoded into as many properties of
255 characters as it needs (seven for the example of five projects). The digest is taken of the
canonical JSON, so it names the spec, not the compression; the same spec always gives the same
properties, so ``generate`` stays deterministic.

Reading it never raises: a missing, damaged or tampered record is a :class:`RecordProblem` the
checker reports, bounded by the reader's limits and by ``MAX_SPEC_BYTES`` once inflated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Mapping
from typing import Any

from . import __version__
from .dataclass import dataclass
from .layout import LAYOUT_PROPERTY, LAYOUT_VERSION
from .model import Budget
from .spec import MAX_SPEC_BYTES, SpecError, budget_from_dict, budget_to_dict, check_spec

PREFIX = "bygdevekst_xl_"
DIGEST_PROPERTY = PREFIX + "spec_sha256"
PARTS_PROPERTY = PREFIX + "spec_parts"
TOOL_PROPERTY = PREFIX + "tool"
PART_PROPERTY = PREFIX + "spec_{:04d}"
PART_CHARS = 255
"""Excel's limit for the text of one custom property."""
MAX_PARTS = 9_999
"""Parts a record may have (about 2.5 MB of compressed spec)."""
GENERATION_ID_CHARS = 12
RECORD_COMPRESSION = 6
"""zlib's level for the record: its default; 9 made the record of 50 projects 11 % smaller
and took five times as long (18 ms of a 600 ms ``generate``)."""


@dataclass(frozen=True)
class Record:
    """A generation record: the spec a workbook was made from."""

    spec: Budget
    digest: str
    layout: str
    tool: str
    text: bytes = b""
    """The recorded spec's JSON as the record holds it (its digest's bytes): valid, read."""

    @property
    def generation_id(self) -> str:
        """The short digest people compare: the first 12 hex digits."""
        return self.digest[:GENERATION_ID_CHARS]


@dataclass(frozen=True)
class RecordProblem:
    """Why a workbook's record cannot be used: ``code`` is missing, damaged or mismatch."""

    code: str
    reason: str
    digest: str = ""
    """The digest the record states, when it states one."""


_last_canonical: tuple[Budget, bytes] | None = None
"""The last budget asked for and its canonical form (a budget is frozen: the form is too)."""


def canonical(budget: Budget) -> bytes:
    """The canonical form of a spec: the same budget always gives the same bytes.

    The last budget's form is kept: generating a workbook asks for it two or three times (the
    generation id, the record, the report), ~10 ms each for a large spec.
    """
    global _last_canonical
    last = _last_canonical  # one read: another thread may set it meanwhile
    if last is not None and last[0] is budget:
        return last[1]
    data = canonical_json(budget_to_dict(budget))
    _last_canonical = (budget, data)
    return data


def canonical_json(data: Any) -> bytes:
    """Spec data (``budget_to_dict``'s) in canonical form: JSON, keys sorted, no spaces, UTF-8.

    Raises ``TypeError`` or ``ValueError`` for data JSON cannot state.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def digest_of(budget: Budget) -> str:
    """The SHA-256 digest (hex) of a spec's canonical form."""
    return hashlib.sha256(canonical(budget)).hexdigest()


def generation_id(budget: Budget) -> str:
    """The short generation id a workbook generated from ``budget`` shows."""
    return digest_of(budget)[:GENERATION_ID_CHARS]


def record_properties(budget: Budget) -> list[tuple[str, str]]:
    """The custom document properties that carry ``budget`` as a workbook's record, in order.

    ``budget`` must be a valid spec (every amount a whole number, ...); raises ``SpecError``
    otherwise, so no workbook ever carries a record it could not read back.
    """
    data = canonical(budget)
    text = data.decode("utf-8")
    check_spec(json.loads(text), "generation record", text)  # the record must read back
    packed = base64.b64encode(zlib.compress(data, RECORD_COMPRESSION)).decode("ascii")
    parts = [packed[i : i + PART_CHARS] for i in range(0, len(packed), PART_CHARS)]
    if len(parts) > MAX_PARTS:
        raise SpecError(
            "generation record", [f"the spec is too large to record ({len(parts)} parts)"]
        )
    return [
        (TOOL_PROPERTY, __version__),
        (DIGEST_PROPERTY, hashlib.sha256(data).hexdigest()),
        (PARTS_PROPERTY, str(len(parts))),
        *((PART_PROPERTY.format(i + 1), part) for i, part in enumerate(parts)),
    ]


def read_record(properties: Mapping[str, str]) -> Record | RecordProblem:
    """The record in a workbook's custom properties, or why there is none that can be used."""
    digest = properties.get(DIGEST_PROPERTY, "").strip().lower()
    count_text = properties.get(PARTS_PROPERTY, "").strip()
    if not digest and not count_text and PART_PROPERTY.format(1) not in properties:
        return RecordProblem("missing", "the workbook has no generation record")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return RecordProblem("damaged", f"{DIGEST_PROPERTY} is not a SHA-256 digest")
    if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_PARTS:
        return RecordProblem("damaged", f"{PARTS_PROPERTY} is not a part count", digest)
    pieces = []
    for i in range(1, int(count_text) + 1):
        piece = properties.get(PART_PROPERTY.format(i))
        if piece is None:
            return RecordProblem("damaged", f"{PART_PROPERTY.format(i)} is missing", digest)
        if len(piece.strip()) > PART_CHARS:
            return RecordProblem("damaged", f"{PART_PROPERTY.format(i)} is too long", digest)
        pieces.append(piece.strip())
    try:
        packed = base64.b64decode("".join(pieces), validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_SPEC_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            return RecordProblem("damaged", "the recorded spec is cut off or too large", digest)
    except (binascii.Error, ValueError, zlib.error) as exc:
        return RecordProblem("damaged", f"the recorded spec cannot be decoded ({exc})", digest)
    if hashlib.sha256(data).hexdigest() != digest:
        return RecordProblem(
            "mismatch",
            "the recorded spec does not match its digest (changed after generation)",
            digest,
        )
    try:
        text = data.decode("utf-8")
        spec = budget_from_dict(json.loads(text), "generation record", text)
    except SpecError as exc:
        return RecordProblem(
            "damaged", f"the recorded spec is not valid: {exc.problems[0]}", digest
        )
    except (ValueError, RecursionError) as exc:
        return RecordProblem(
            "damaged", f"the recorded spec is not JSON ({type(exc).__name__})", digest
        )
    layout = properties.get(LAYOUT_PROPERTY, "").strip() or LAYOUT_VERSION
    return Record(spec, digest, layout, properties.get(TOOL_PROPERTY, "").strip(), data)


def shown_generation(found: Record | RecordProblem) -> tuple[str, str] | None:
    """(generation id, spec date) as the Forside of a workbook with this record shows them;
    None without a record, "ukjent" for the date when the record cannot be read."""
    if isinstance(found, Record):
        return (found.generation_id, date_label(found.spec))
    return (found.digest[:GENERATION_ID_CHARS], "ukjent") if found.digest else None


def date_label(budget: Budget) -> str:
    """The spec's date as the Forside shows it (``30.11.2026``), or "" when the spec gives
    none (the Forside then leaves it out)."""
    date = budget.pilot.spec_date
    if len(date) == 10 and date[4] == "-" and date[7] == "-":
        return f"{date[8:10]}.{date[5:7]}.{date[0:4]}"
    return date
