"""The tokenizer: a formula as a *shape* plus the concrete references of its cell.

Every reference (cell, range, whole column or row, defined name) is replaced by a numbered
placeholder: ``=SUM(C8:D8)*$B$2`` becomes the shape ``=SUM(_R0)*_C1`` plus the int key of
``$B$2`` and the range descriptor of ``C8:D8`` (see :mod:`.keys`), so 10 000 row
formulas share one shape. :class:`Workbook` resolves references for one evaluate() call;
:class:`Scanner` reuses one scan for formulas that differ only in their row numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

from ..excel import MAX_FORMULA_CHARS
from .keys import MAX_COL, MAX_ROW, SBITS, W, col_index, col_of, first_key, row_of
from .limits import DEFAULT_LIMITS, Limits, check_text
from .structured import TableArea, structured_area
from .values import NUM_RE, REF, Problem

TOKEN_RE = re.compile(
    r"""
      (?P<str>"(?:[^"]|"")*")
    | (?P<err>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|N/A|NUM!|GETTING_DATA))
    | (?P<table>(?P<tname>[^\W\d][\w.]*)?\[(?:[^\[\]']|'.)*(?:\[(?:[^\[\]']|'.)*\](?:[^\[\]']|'.)*)*\])
    | (?P<bracket>\[)
    | (?P<ref>
        (?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*(?::[^\W\d][\w.]*)?)!)?
        (?:
            (?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?\d+)(?::(?P<c2>\$?[A-Za-z]{1,3})(?P<r2>\$?\d+))?
          | (?P<cc1>\$?[A-Za-z]{1,3}):(?P<cc2>\$?[A-Za-z]{1,3})
          | (?P<rr1>\$?\d+):(?P<rr2>\$?\d+)
          | (?P<shref>\#REF!)
          | (?P<name>[^\W\d][\w.]*)
        )
        (?![\w.(\[!])
      )
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<func>[^\W\d][\w.]*)(?=\()
    """,
    re.VERBOSE,
)
"""One token of a formula: a string, error, bracket, reference, number or function name."""


SMALL = 4
"""Ranges of up to this many cells are not interned (see :meth:`Workbook.area`); the
dependency graph looks their cells up one by one."""


def small_area(k0: int, rows: int, cols: int) -> tuple:
    """The descriptor of a range of rows x cols cells from the int key k0."""
    if rows == 1:
        return (range(k0, k0 + cols), 1, cols)
    if cols == 1:
        return (range(k0, k0 + rows * W, W), rows, 1)
    return (tuple(range(k, k + cols) for k in range(k0, k0 + rows * W, W)), rows, cols)


class Workbook:
    """Sheets, defined names and interned range descriptors for one evaluate() call."""

    def __init__(
        self,
        sheets: dict[str, int],
        used_keys: Callable[[], Iterator[int]],
        names: Mapping[str, str] | None,
        limits: Limits = DEFAULT_LIMITS,
        tables: Mapping[str, TableArea] | None = None,
    ) -> None:
        self.sheets = sheets  # upper-cased sheet name -> index
        self.tables = {k.upper(): v for k, v in (tables or {}).items()}
        self.clip_area, self.max_area = limits.clip_area, limits.max_area
        self.used_keys = used_keys
        self.extent: dict[int, tuple[int, int]] | None = None
        self.ranges: dict[tuple[int, int, int, int, int], tuple] = {}
        self.names_raw = {k.upper(): v for k, v in (names or {}).items()}
        self.names: dict[str, Any] = {}

    def sheet(self, raw: str | None, host: int) -> int:
        """The index of a reference's sheet (host: the formula's own sheet)."""
        if raw is None:
            return host
        if raw.startswith("'"):
            raw = raw[1:-1].replace("''", "'")
        if "[" in raw or "]" in raw:
            raise Problem(f"external workbook reference {raw!r}", REF)
        if ":" in raw:
            raise Problem(f"3-D reference {raw!r} is not supported", REF)
        idx = self.sheets.get(raw.upper())
        if idx is None:
            raise Problem(f"reference to unknown sheet {raw!r}", REF)
        return idx

    def extent_of(self, s: int) -> tuple[int, int]:
        """(last row, last column) in use on sheet s, for whole-column and -row references."""
        if self.extent is None:
            extent: dict[int, list[int]] = {}
            for k in self.used_keys():
                e = extent.setdefault(k >> SBITS, [1, 1])
                r, c = row_of(k), col_of(k)
                if r > e[0]:
                    e[0] = r
                if c > e[1]:
                    e[1] = c
            self.extent = {s: (e[0], e[1]) for s, e in extent.items()}
        return self.extent.get(s, (1, 1))

    def area(self, s: int, r1: int, c1: int, r2: int, c2: int) -> tuple:
        """A range descriptor ``(keys, rows, cols)``, interned unless it is small (up to
        :data:`SMALL` cells: made again faster than looked up, and never looked up by
        identity)."""
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= SMALL:
            return small_area((s << SBITS) + r1 * W + c1, r2 - r1 + 1, c2 - c1 + 1)
        geo = (s, r1, c1, r2, c2)
        d = self.ranges.get(geo)
        if d is None:
            base = s << SBITS
            nr, nc = r2 - r1 + 1, c2 - c1 + 1
            if nr * nc > self.clip_area:  # A1:B1048576 reads as far as the sheet is used, like A:B
                last_row, last_col = self.extent_of(s)
                r2, c2 = max(r1, min(r2, last_row)), max(c1, min(c2, last_col))
                nr, nc = r2 - r1 + 1, c2 - c1 + 1
                if nr * nc > self.max_area:
                    raise Problem(
                        f"a range of {nr * nc} used cells (the checker reads up to "
                        f"{self.max_area} in one range); not evaluated"
                    )
            k0 = base + r1 * W + c1
            if nr == 1:
                keys: Any = range(k0, k0 + nc)
            elif nc == 1:
                keys = range(k0, k0 + nr * W, W)
            else:
                keys = tuple(range(k, k + nc) for k in range(k0, k0 + nr * W, W))
            d = self.ranges[geo] = (keys, nr, nc)
        return d

    def name(self, name: str, depth: int = 0) -> Any:
        """A defined name as ("ref", kind, desc), ("lit", text) or a Problem."""
        key = name.upper()
        if key in self.names:
            return self.names[key]
        text = self.names_raw.get(key)
        if text is None and key in self.tables:  # a table's name alone: its data rows
            return self.table_reference(self.tables[key], "", 0)
        if text is None:
            result: Any = ("lit", "#NAME?")
        else:
            result = self._resolve_name(name, text.strip().lstrip("=").strip(), depth)
        self.names[key] = result
        return result

    def _resolve_name(self, name: str, text: str, depth: int) -> Any:
        if NUM_RE.match(text):
            return ("lit", f"({text.strip()})")
        m = TOKEN_RE.fullmatch(text) if text else None
        if m is None:
            return Problem(f"defined name {name!r} is a formula ({text!r}); not supported")
        kind = m.lastgroup
        if kind in ("str", "err"):
            return ("lit", text)
        if kind == "table":  # a name for a structured reference: Reiser = Kost[Reiser]
            try:
                return self.structured(m, 0)
            except Problem as p:
                return p
        if kind != "ref":
            return Problem(f"defined name {name!r} has an unusable definition {text!r}")
        if m.group("sheet") is None and m.group("name") is None:
            return Problem(f"defined name {name!r} has no sheet in {text!r}")
        try:
            return self.reference(m, 0, depth + 1)
        except Problem as p:
            return p

    def reference(self, m: re.Match, host: int, depth: int = 0) -> Any:
        """A ref token as ("ref", "c", key) / ("ref", "r", desc) / ("lit", text)."""
        if m.group("shref"):
            return ("lit", "#REF!")
        name = m.group("name")
        if name is not None:
            if m.group("sheet") is None:
                if name.upper() in ("TRUE", "FALSE"):
                    return ("lit", name)
            else:
                self.sheet(m.group("sheet"), host)  # external or unknown sheet?
            if depth > 10:
                raise Problem(f"defined name {name!r} refers to itself")
            found = self.name(name, depth)
            if isinstance(found, Problem):
                raise Problem(found.reason, found.value)
            return found
        s = self.sheet(m.group("sheet"), host)
        c1 = m.group("c1")
        if c1 is not None:
            col1, row1 = col_index(c1.lstrip("$")), int(m.group("r1").lstrip("$"))
            if m.group("c2") is None:
                if col1 > MAX_COL or not 0 < row1 <= MAX_ROW:
                    return self._bad_cell(m, depth)  # XFZ1 is a name in Excel
                return ("ref", "c", (s << SBITS) + row1 * W + col1)
            col2, row2 = col_index(m.group("c2").lstrip("$")), int(m.group("r2").lstrip("$"))
            if max(col1, col2) > MAX_COL or not 0 < min(row1, row2) <= max(row1, row2) <= MAX_ROW:
                raise Problem("reference outside the sheet", REF)
            return ("ref", "r", self.area(s, row1, col1, row2, col2))
        max_row, max_col = self.extent_of(s)
        if m.group("cc1") is not None:
            col1, col2 = (
                col_index(m.group("cc1").lstrip("$")),
                col_index(m.group("cc2").lstrip("$")),
            )
            if max(col1, col2) > MAX_COL:
                raise Problem("reference outside the sheet", REF)
            return ("ref", "r", self.area(s, 1, col1, max_row, col2))
        row1, row2 = int(m.group("rr1").lstrip("$")), int(m.group("rr2").lstrip("$"))
        if not 0 < min(row1, row2) <= max(row1, row2) <= MAX_ROW:
            raise Problem("reference outside the sheet", REF)
        return ("ref", "r", self.area(s, row1, 1, row2, max_col))

    def table_reference(self, table: TableArea, spec: str, host_key: int) -> Any:
        """A structured reference (``Table[Column]``, ``[@Column]``, ``Table[#Totals]``) as
        ("ref", "c", key) for one cell or ("ref", "r", desc)."""
        s = self.sheets.get(table.sheet.upper())
        if s is None:
            raise Problem(f"table {table.name!r} is on a sheet that is gone", REF)
        host_row = row_of(host_key) if host_key >> SBITS == s else 0
        r1, c1, r2, c2 = structured_area(table, spec, host_row)
        if r1 == r2 and c1 == c2:
            return ("ref", "c", (s << SBITS) + r1 * W + c1)
        return ("ref", "r", self.area(s, r1, c1, r2, c2))

    def structured(self, m: re.Match, host_key: int) -> Any:
        """The reference of a ``table`` token at the cell host_key."""
        name, text = m.group("tname"), m.group("table")
        spec = text[len(name or "") :]
        if name is None:
            if spec[1:-1].isdigit():
                raise Problem("external workbook reference", REF)
            table = next((t for t in self.tables.values() if t.holds(self, host_key)), None)
            if table is None:
                raise Problem("a structured reference outside any Excel Table")
        else:
            table = self.tables.get(name.upper())
            if table is None:
                raise Problem(f"structured reference to an unknown table {name!r}")
        return self.table_reference(table, spec[1:-1], host_key)

    def _bad_cell(self, m: re.Match, depth: int) -> Any:
        if m.group("sheet") is not None or "$" in m.group(0):
            raise Problem("reference outside the sheet", REF)
        found = self.name(m.group(0), depth)
        if isinstance(found, Problem):
            raise Problem(found.reason, found.value)
        return found


_DIGITS = re.compile(rb"[0-9]+")
_THIS_ROW = re.compile(r"\[\s*@|#this\s+row", re.IGNORECASE)
_DIGITS_BLANKED = bytes.maketrans(b"0123456789", b"\x00" * 10)


def _scan(text: str, host: int, wb: Workbook, host_key: int = 0) -> tuple[str, list, Program]:
    """Turn a formula into (shape, references); raise Problem if it cannot be evaluated.

    Also returns the :class:`Program` that rebuilds the references from the row digits of
    any formula that differs only in them.
    """
    pieces: list[str] = []
    refs: list = []
    builders: list[tuple] = []
    used: set[tuple[int, int]] = set()
    movable = True  # the program holds on any sheet (not for tables, whole own columns)
    own_table = False  # a structured reference naming no table: the table of its own cell
    pos = 0
    lets = "LET(" in text.upper()
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind in ("ref", "table"):
            found = wb.reference(m, host) if kind == "ref" else wb.structured(m, host_key)
            pieces.append(text[pos : m.start()])
            pos = m.end()
            if found == ("lit", "#NAME?") and lets and m.group("name") and not m.group("sheet"):
                pieces.append(m.group(0))  # a name LET binds: the parser resolves it
                continue
            if found[0] == "lit":
                pieces.append(found[1])
                continue
            pieces.append(f"_{'C' if found[1] == 'c' else 'R'}{len(refs)}")
            refs.append(found[2])
            builders.append(_builder(m, found, used))
            if kind == "table" or (m.group("cc1") and m.group("sheet") is None):
                movable = False
            if kind == "table" and m.group("tname") is None:
                own_table = True
        elif kind == "bracket":
            before = text[m.start() - 1] if m.start() else ""
            if before.isalnum() or before == "_":
                raise Problem("structured (table) references are not supported")
            raise Problem("external workbook reference", REF)
    shape = text
    if pieces:
        pieces.append(text[pos:])
        shape = "".join(pieces)
    raw = text.encode()
    fixed = tuple(d.span() for d in _DIGITS.finditer(raw) if d.span() not in used)
    nested = calls_nested(text)
    build = _build_function(tuple(builders), wb)
    program = Program(shape, len(refs), build, fixed, movable, nested)
    program.own_table = own_table
    return shape, refs, program


def calls_nested(text: str) -> bool:
    """Whether a formula calls SUBTOTAL or AGGREGATE (SUBTOTAL leaves such cells out)."""
    return "SUBTOTAL(" in text.upper() or "AGGREGATE(" in text.upper()


def _digits(m: re.Match, group: str, used: set) -> tuple[int, int]:
    """The UTF-8 byte span of a row number (the scanner works on bytes: faster)."""
    start, end = m.span(group)
    if m.string[start] == "$":
        start += 1
    before = len(m.string[:start].encode())
    span = (before, before + end - start)
    used.add(span)
    return span


def _builder(m: re.Match, found: tuple, used: set) -> tuple:
    """How to rebuild a reference from its row digits: 0 static, 1 cell, 2 area, 3 rows.
    A cell, area or rows without a sheet name are on the formula's own sheet (sheet None)."""
    if m.lastgroup == "table" or m.group("name") is not None:
        return (0, found[2])
    named = m.group("sheet") is not None
    if m.group("c1") is not None:
        if found[1] == "c":
            row, col = int(m.group("r1").lstrip("$")), col_index(m.group("c1").lstrip("$"))
            if col > MAX_COL or not 0 < row <= MAX_ROW:
                return (0, found[2])  # an out-of-sheet "cell" that is really a name
            sheet = found[2] >> SBITS if named else None
            return (1, sheet, col, *_digits(m, "r1", used))
        c1, c2 = col_index(m.group("c1").lstrip("$")), col_index(m.group("c2").lstrip("$"))
        sheet = first_key(found[2]) >> SBITS if named else None
        return (2, sheet, c1, c2, *_digits(m, "r1", used), *_digits(m, "r2", used))
    if m.group("rr1") is not None:
        sheet = first_key(found[2]) >> SBITS if named else None
        return (3, sheet, *_digits(m, "rr1", used), *_digits(m, "rr2", used))
    return (0, found[2])


class Program:
    """How to scan any formula that differs from a scanned one only in its row numbers:
    its shape and number of references, a function building the references from the
    formula's bytes and sheet (see :func:`_builder`), the byte spans of the digits that are
    no row numbers (they must match), whether it holds on any sheet, and whether the
    formula calls SUBTOTAL or AGGREGATE. ``fn`` is the shape's compiled function, set by
    the caller."""

    __slots__ = ("build", "fixed", "fn", "movable", "n_refs", "nested", "own_table", "shape")

    def __init__(
        self,
        shape: str,
        n_refs: int,
        build: Callable,
        fixed: tuple,
        movable: bool,
        nested: bool,
    ) -> None:
        self.shape, self.n_refs, self.build, self.fixed = shape, n_refs, build, fixed
        self.movable, self.nested = movable, nested
        self.own_table = False  # names no table: holds only in its own cell's table
        self.fn: Any = None


class Scanner:
    """Scan formulas, reusing one scan for formulas that differ only in their row numbers.

    The key is the formula's UTF-8 bytes with every digit blanked out (so ``C8`` and
    ``C9`` share it); digits that are not row numbers of references (sheet names,
    literals, names) must match as well. Programs are kept per sheet: a formula that
    misses its sheet's programs counts as scanned in full (against ``max_scans``), but a
    program found on another sheet serves (its references without a sheet name are on the
    formula's own sheet), so the 50 project sheets sharing one formula per row tokenize it
    once.
    """

    def __init__(self, wb: Workbook, max_scans: int = DEFAULT_LIMITS.max_scans) -> None:
        self.wb = wb
        self.programs: dict[tuple[int, bytes], Programs] = {}  # by (sheet, key)
        self.shared: dict[bytes, Programs] = {}  # the movable ones, by key
        self.scans = 0  # formulas scanned in full (not from a program), against max_scans
        self.own_table: set[tuple[int, bytes]] = set()  # texts naming no table (_missed)
        self.max_scans = max_scans

    def scan_all(self, texts: Sequence[object], keys: Sequence[int]) -> tuple[list, list]:
        """Scan the formula texts of the cells keys (int keys), in order: each one's
        program (a :class:`~.values.Problem` for one that cannot be evaluated) and
        references (empty for a Problem)."""
        n = len(texts)
        found: list[Any] = [None] * n
        refs_of: list[tuple] = [()] * n
        if n and set(map(type, texts)) == {str} and max(map(len, texts)) <= MAX_FORMULA_CHARS:  # type: ignore[arg-type]
            stripped: list[Any] = list(map(str.strip, texts))  # type: ignore[arg-type]
        else:  # some are no text, or too long: those are problems
            stripped = []
            for i, text in enumerate(texts):
                try:
                    if not isinstance(text, str):
                        raise Problem("formula is not text")
                    check_text(text)
                    stripped.append(text.strip())
                except Problem as p:
                    found[i] = p
                    stripped.append("")
        raws = list(map(str.encode, stripped))
        blanked: list[Any] = list(map(bytes.translate, raws, repeat(_DIGITS_BLANKED)))
        for i, problem in enumerate(found):
            if problem is not None:
                blanked[i] = None  # found by no program
        get = self.programs.get
        for i, key in enumerate(keys):
            raw, host = raws[i], key >> SBITS
            entry = get((host, blanked[i]))
            if entry is not None:  # the hit path of scan(), inline: most formulas take it
                fixed = entry[0]
                program = entry[1].get(b" ".join([raw[a:b] for a, b in fixed]) if fixed else b"")
                if program is not None:
                    refs = program.build(raw, host)
                    if refs is not None:
                        found[i], refs_of[i] = program, refs
                        continue
            if found[i] is not None:
                continue
            try:
                found[i], refs_of[i] = self._missed(stripped[i], raw, blanked[i], host, key)
            except Problem as p:
                found[i] = p
            except Exception as exc:  # a bug here must not stop the checker
                found[i] = Problem(f"cannot read formula ({exc!r})")
        return found, refs_of

    def scan(self, text: str, host: int, host_key: int = 0) -> tuple[Program, tuple]:
        """(program, references) of a formula on sheet host (in the cell host_key); raise
        Problem if unusable."""
        raw = text.encode()
        blanked = raw.translate(_DIGITS_BLANKED)
        known = _find(self.programs.get((host, blanked)), raw)
        if known is not None:
            refs = known.build(raw, host)
            if refs is not None:
                return known, refs
        return self._missed(text, raw, blanked, host, host_key)

    def _missed(
        self, text: str, raw: bytes, blanked: bytes, host: int, host_key: int
    ) -> tuple[Program, tuple]:
        """Scan a formula its sheet's programs miss (a text that names its own row in a
        table, ``[@Column]``, always does: the same text means another row there)."""
        if "[" in text and (_THIS_ROW.search(text) or (host, blanked) in self.own_table):
            _, found, known = _scan(text, host, self.wb, host_key)
            return known, tuple(found)
        self.scans += 1
        if self.scans > self.max_scans:
            raise Problem(f"more than {self.max_scans} distinct formulas; not evaluated")
        shared = _find(self.shared.get(blanked), raw)
        refs = None if shared is None else shared.build(raw, host)
        if shared is not None and refs is not None:
            known = shared
        else:
            _, found, known = _scan(text, host, self.wb, host_key)
            refs = tuple(found)
            if known.own_table:  # =SUM([Beløp]) means another table in another table
                self.own_table.add((host, blanked))
                return known, refs
            if known.movable:
                _remember(self.shared, blanked, raw, known)
        _remember(self.programs, (host, blanked), raw, known)
        return known, refs


def _build_function(builders: tuple, wb: Workbook) -> Callable[[bytes, int], tuple | None]:
    """A function giving the references a program builds from a formula's bytes on a
    sheet (None if a row is invalid); the commonest programs, one area or one cell, get
    their own."""
    kind = builders[0][0] if len(builders) == 1 else None
    if kind == 2:
        _, sheet, c1, c2, a1, b1, a2, b2 = builders[0]
        ranges, area = wb.ranges, wb.area
        left, cols = min(c1, c2), abs(c2 - c1) + 1

        def one_area(text: bytes, host: int) -> tuple | None:
            r1, r2 = int(text[a1:b1]), int(text[a2:b2])
            if not (0 < r1 <= MAX_ROW and 0 < r2 <= MAX_ROW):
                return None
            s = host if sheet is None else sheet
            if r1 == r2 and cols <= SMALL:  # C7:D7, the commonest: as Workbook.area makes it
                k0 = (s << SBITS) + r1 * W + left
                return ((range(k0, k0 + cols), 1, cols),)
            d = ranges.get((s, r1, c1, r2, c2))  # interned by Workbook.area
            return (area(s, r1, c1, r2, c2) if d is None else d,)

        return one_area
    if kind == 1:
        _, sheet, col, a, b = builders[0]

        def one_cell(text: bytes, host: int) -> tuple | None:
            r = int(text[a:b])
            if not 0 < r <= MAX_ROW:
                return None
            return ((((host if sheet is None else sheet) << SBITS) + r * W + col),)

        return one_cell
    return functools.partial(_run, builders, wb)


def _run(builders: tuple, wb: Workbook, text: bytes, host: int) -> tuple | None:
    """The references builders give from text on sheet host; None if a row is invalid."""
    refs: list = []
    ranges = wb.ranges
    for b in builders:
        kind = b[0]
        if kind == 2:
            r1, r2 = int(text[b[4] : b[5]]), int(text[b[6] : b[7]])
            if not (0 < r1 <= MAX_ROW and 0 < r2 <= MAX_ROW):
                return None
            s = host if b[1] is None else b[1]
            d = ranges.get((s, r1, b[2], r2, b[3]))  # interned by Workbook.area
            refs.append(d if d is not None else wb.area(s, r1, b[2], r2, b[3]))
        elif kind == 1:
            r = int(text[b[3] : b[4]])
            if not 0 < r <= MAX_ROW:
                return None
            refs.append(((host if b[1] is None else b[1]) << SBITS) + r * W + b[2])
        elif kind == 0:
            refs.append(b[1])
        else:
            r1, r2 = int(text[b[2] : b[3]]), int(text[b[4] : b[5]])
            if not (0 < r1 <= MAX_ROW and 0 < r2 <= MAX_ROW):
                return None
            s = host if b[1] is None else b[1]
            refs.append(wb.area(s, r1, 1, r2, wb.extent_of(s)[1]))
    return tuple(refs)


Programs = tuple[tuple, dict[bytes, Program]]
"""The programs of one key: the spans of their fixed digits, and each by those digits."""


def _find(entry: Programs | None, raw: bytes) -> Program | None:
    """The program of raw among a key's programs, if any."""
    if entry is None:
        return None
    fixed = entry[0]
    return entry[1].get(b" ".join([raw[a:b] for a, b in fixed]) if fixed else b"")


def _remember(programs: dict[Any, Programs], key: Any, raw: bytes, program: Program) -> None:
    """Keep a program under its key and fixed digits (a key whose fixed digits sit
    elsewhere starts afresh)."""
    fixed = program.fixed
    entry = programs.get(key)
    if entry is None or entry[0] != fixed:
        entry = programs[key] = (fixed, {})
    entry[1][b" ".join([raw[a:b] for a, b in fixed]) if fixed else b""] = program
