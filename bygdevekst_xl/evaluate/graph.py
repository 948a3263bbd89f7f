"""The dependency graph of the formula cells, and their evaluation in topological order.

:class:`EvaluationRun` reads the input cells, scans and compiles every formula
(:mod:`.tokens`, :mod:`.compile`), orders the formula cells by Kahn's algorithm
(no recursion) and calculates them in that order; cells left over are on, or depend on, a
circular reference.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from ..dataclass import dataclass, field
from ..excel import MAX_FORMULA_CHARS
from .compile import compile_shape
from .criteria import Matches
from .fallback import quiet_schedula
from .keys import SBITS, CellKey, W, address_offset, col_of, first_key, row_of
from .limits import DEFAULT_LIMITS, CellsRead, Limits
from .structured import TableArea
from .subtotal import Nested
from .tokens import SMALL, Program, Scanner, Workbook, calls_nested
from .values import CIRCULAR, ERRORS, REF, VALUE, ErrorValue, Problem, constant, output

STORED_AS_THEY_ARE = frozenset((float, int, bool, str))
"""Constant types :func:`~.values.constant` keeps as they are (a text unless it is an error
code)."""
NONE: list[int] = []
"""No formula cells (shared, never changed)."""
REPORTED_AS_THEY_ARE = frozenset((float, str, bool, ErrorValue))
"""Computed value types :func:`~.values.output` keeps as they are."""


@dataclass
class Found:
    """Everything an evaluation found (see :class:`Evaluation`)."""

    values: dict[CellKey, object]
    circular: set[CellKey]
    unsupported: dict[CellKey, str]
    caused_by: dict[CellKey, CellKey] = field(default_factory=dict)


class Evaluation:
    """What :func:`~.evaluate.evaluate` found, computed when first asked for.

    ``values`` maps every formula cell to a float, str, bool or :class:`~.values.ErrorValue`.
    ``circular`` holds the cells on, or depending on, a circular reference; each of them has
    the value ``ErrorValue("#CIRC!")`` (a code Excel does not have, so it cannot be mistaken
    for a computed error). ``unsupported`` maps the cells that could not be evaluated
    (unknown or unsupported function, external or structured reference, unknown sheet,
    parse error) to a short reason; their value is ``#NAME?`` (``#REF!`` for references
    that lead outside the workbook), and dependent cells see that error. ``caused_by`` maps
    each formula cell computed from a cell where trouble starts to that cell: an
    unsupported cell, or a formula cell whose error value none of its formula precedents
    gave it (``=VALUE("40 000")``); the first such cell in evaluation order when there are
    several.

    Reading any of the four evaluates every formula cell, once. :meth:`value` (and
    :attr:`on_demand`, the same as a mapping) evaluates only what one cell depends on, with
    the same compiled formulas: the same value either way.
    """

    def __init__(self, run: EvaluationRun) -> None:
        self._run: EvaluationRun | None = run

    @cached_property
    def _found(self) -> Found:
        assert self._run is not None
        found, self._run = self._run.evaluate(), None  # the run's cells are no longer needed
        return found

    @property
    def values(self) -> dict[CellKey, object]:
        return self._found.values

    @property
    def circular(self) -> set[CellKey]:
        return self._found.circular

    @property
    def unsupported(self) -> dict[CellKey, str]:
        return self._found.unsupported

    @property
    def caused_by(self) -> dict[CellKey, CellKey]:
        return self._found.caused_by

    def value(self, cell: CellKey) -> object | None:
        """The value of the formula cell ``cell`` (None: no formula there), evaluating only
        the formula cells it depends on unless every value is known already."""
        if self._run is None:
            return self._found.values.get(cell)
        return self._run.value(cell)

    def holds(self, cell: object) -> bool:
        """Whether ``cell`` is a formula cell (without evaluating anything)."""
        if self._run is None:
            return cell in self._found.values
        return self._run.holds(cell)

    @property
    def on_demand(self) -> Mapping[CellKey, object]:
        """Every formula cell's value as a mapping that evaluates a cell when it is read."""
        return OnDemand(self)


class OnDemand(Mapping[CellKey, object]):
    """The formula cells' values, each evaluated when read (:meth:`Evaluation.value`)."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation

    def __getitem__(self, cell: CellKey) -> object:
        value = self.evaluation.value(cell)
        if value is None:
            raise KeyError(cell)
        return value

    def __contains__(self, cell: object) -> bool:
        return self.evaluation.holds(cell)

    def __iter__(self) -> Iterator[CellKey]:
        return iter(self.evaluation.values)

    def __len__(self) -> int:
        return len(self.evaluation.values)


Chunk = tuple[str, Mapping[Any, Any]]
"""Cells of one sheet by address (constants or formula texts), as an evaluation takes them."""


def chunks(cells: Mapping[CellKey, Any]) -> list[Chunk]:
    """Cells keyed ``(sheet, address)`` as chunks of one sheet each, in their order."""
    found: list[Chunk] = []
    last: object = None
    chunk: dict[Any, Any] = {}
    for (sheet, address), value in cells.items():
        if sheet != last or not found:
            chunk, last = {}, sheet
            found.append((sheet, chunk))
        chunk[address] = value
    return found


class EvaluationRun:
    """The state of one :func:`~.evaluate.evaluate` call; formula cells are numbered 0..n-1.

    ``sheets`` names the sheets in index order; ``constants`` and ``formulas`` come in
    chunks of one sheet each, applied in order (a later constant at a cell wins; formula
    cells are numbered in their order).
    """

    def __init__(
        self,
        sheets: Iterable[str],
        constants: Iterable[Chunk],
        formulas: Iterable[Chunk],
        names: Mapping[str, str] | None,
        limits: Limits = DEFAULT_LIMITS,
        tables: Sequence[TableArea] = (),
        hidden_rows: Mapping[str, Iterable[int]] | None = None,
    ) -> None:
        self.limits = limits
        self.result = Found(values={}, circular=set(), unsupported={})
        self.sheets = {name: i for i, name in enumerate(sheets)}
        self.offsets: dict[object, int | None] = {}
        self.cells: dict[int, Any] = {}  # every non-empty cell's value, by int key
        for sheet, chunk in constants:
            self._constants(sheet, chunk)
        self.keys: list[int] = []  # formula cell i -> int key
        self.cell_keys: list[CellKey] = []  # formula cell i -> (sheet, address)
        self.texts: list[Any] = []  # formula cell i -> its text
        for sheet, chunk in formulas:
            self._formulas(sheet, chunk)
        self.index = dict(zip(self.keys, range(len(self.keys)), strict=True))
        folded = {name.upper(): idx for name, idx in self.sheets.items()}
        self.wb = Workbook(
            folded,
            lambda: iter((*self.cells, *self.keys)),
            names,
            limits,
            {t.name: t for t in tables},
        )
        n = len(self.keys)
        self.fns: list[Any] = [None] * n
        self.args: list[tuple] = [()] * n
        self.problems: dict[int, Problem] = {}
        self.uses_formulas = False
        self.nested: set[int] = set()  # cells calling SUBTOTAL or AGGREGATE
        self.lets = False  # a shape binds LET names
        self.shapes: dict[tuple[str, int], Any] = {}  # compiled functions (or Problems)
        self.fallbacks = 0  # shapes compiled through formulas (slow), max_fallback_shapes
        self.compiled_chars = 0  # characters of the shapes compiled, max_shape_chars
        self.compiled = self.complete = False
        self.known: dict[int, object] = {}  # values calculated in part (before complete)
        self.looped: set[int] = set()  # of those, the cells on or after a cycle
        self.positions: dict[CellKey, int] | None = None
        self.exact: bool | None = None
        self.deps: Callable[[tuple], list[int]] | None = None
        self.hidden_rows = frozenset(
            (self.sheets[name] << SBITS) + row * W
            for name, rows in (hidden_rows or {}).items()
            if name in self.sheets
            for row in rows
        )

    def _offsets(self, addresses: Iterable[object]) -> list[Any]:
        """``row * W + column`` of each address (None: not a cell address), remembered."""
        offsets = self.offsets
        found = list(map(offsets.get, addresses, repeat(-1)))
        if -1 in found:
            for i, address in enumerate(addresses):
                if found[i] == -1:
                    found[i] = offsets[address] = address_offset(address)
        return found

    def _constants(self, sheet: str, chunk: Mapping[Any, Any]) -> None:
        """Store one sheet's constants (empty ones and bad addresses are left out)."""
        base, cells = self.sheets[sheet] << SBITS, self.cells
        offsets, values = self._offsets(chunk), chunk.values()
        if None in offsets or None in values:
            for offset, v in zip(offsets, values, strict=True):
                if offset is not None and v is not None:
                    cells[base + offset] = constant(v)
        elif set(map(type, values)) <= STORED_AS_THEY_ARE and ERRORS.keys().isdisjoint(values):
            cells.update(zip(map(base.__add__, offsets), values, strict=True))  # as constant()
        else:
            cells.update(zip(map(base.__add__, offsets), map(constant, values), strict=True))

    def _formulas(self, sheet: str, chunk: Mapping[Any, Any]) -> None:
        """Number one sheet's formula cells; a bad address is #REF! at once."""
        base, cells = self.sheets[sheet] << SBITS, self.cells
        offsets = self._offsets(chunk)
        if None not in offsets:
            keys = list(map(base.__add__, offsets))
            if not cells.keys().isdisjoint(keys):
                for k in keys:
                    cells.pop(k, None)
            self.keys += keys
            self.cell_keys += zip(repeat(sheet), chunk)
            self.texts += chunk.values()
            return
        for offset, (address, text) in zip(offsets, chunk.items(), strict=True):
            if offset is None:
                cell_key = (sheet, address)
                self.result.values[cell_key] = REF
                self.result.unsupported[cell_key] = f"invalid cell address {address!r}"
                continue
            k = base + offset
            if cells:
                cells.pop(k, None)
            self.keys.append(k)
            self.cell_keys.append((sheet, address))
            self.texts.append(text)

    def key_of(self, sheet: str, addr: object) -> int | None:
        """The int key of a cell; None if addr is not a cell address."""
        offset = self.offsets.get(addr, -1)
        if offset == -1:
            offset = self.offsets[addr] = address_offset(addr)
        return None if offset is None else (self.sheets[sheet] << SBITS) + offset

    def evaluate(self) -> Found:
        """Compile, order and calculate every formula cell (once)."""
        if not self.complete:
            self.compile()
            self.calculate(self.order())
            self.complete = True
        return self.result

    def holds(self, cell: object) -> bool:
        """Whether ``cell`` is a formula cell."""
        return cell in self._positions() or cell in self.result.values

    def value(self, cell: CellKey) -> object | None:
        """The value of one formula cell (None: no formula there), calculating only the
        formula cells it depends on, when that gives the value every cell's evaluation
        would (:meth:`_in_part_exact`); else every cell's."""
        i = self._positions().get(cell)
        if i is None or self.complete:
            return self.result.values.get(cell)
        if i not in self.known:
            self.compile()
            if not self._in_part_exact():
                return self.evaluate().values.get(cell)
            self._calculate_closure(i)
        return self.known[i]

    def _positions(self) -> dict[CellKey, int]:
        """Each formula cell's number, by (sheet, address)."""
        if self.positions is None:
            self.positions = dict(zip(self.cell_keys, range(len(self.cell_keys)), strict=True))
        return self.positions

    def _in_part_exact(self) -> bool:
        """Whether a formula cell's value calculated with only its precedents is its value in
        the whole evaluation. The limits on scans and shapes were applied to every formula
        in order (:meth:`compile`), so only the budget of cells read could differ (it is
        spent in evaluation order): a shape of our own that binds no LET name reads each of
        its references at most once a call, so the cells of every reference of every
        formula bound what the whole evaluation reads."""
        if self.exact is None:
            self.exact = not self.uses_formulas and not self.lets
            if self.exact:
                bound = 0
                for refs in self.args:
                    for a in refs:
                        bound += 1 if type(a) is int else a[1] * a[2]
                self.exact = bound <= self.limits.max_cells_read
        return self.exact

    def _calculate_closure(self, i: int) -> None:
        """Calculate formula cell i and every formula cell it depends on not known yet (a
        cell known to be on or after a cycle is taken again, so what follows it is too)."""
        precedents, known, looped = self._precedents_of(), self.known, self.looped
        wanted, stack = {i}, [i]
        while stack:
            for j in precedents(stack.pop()):
                if j not in wanted and (j not in known or j in looped):
                    wanted.add(j)
                    stack.append(j)
        order = self.order(wanted)
        self._run_cells(order)
        cells, keys = self.cells, self.keys
        for j in order:
            known[j] = output(cells[keys[j]])
        for j in wanted.difference(order):  # on or after a cycle
            known[j] = CIRCULAR
            looped.add(j)

    def compile(self) -> None:
        """Scan every formula into (shape, references); compile each shape once (the first
        call; the limits on scans and shapes count over every formula in order)."""
        if self.compiled:
            return
        self.compiled = True
        found, self.args = Scanner(self.wb, self.limits.max_scans).scan_all(self.texts, self.keys)
        used = dict.fromkeys(found)  # each program (or problem) once, in the order of first use
        for program in used:
            if type(program) is Program and program.fn is None:
                program.fn = self._compiled(program.shape, program.n_refs)
        if all(type(p) is Program and not isinstance(p.fn, Problem) for p in used):
            self.fns = list(map(attrgetter("fn"), found))  # the usual case: all compiled
        else:
            self._problems(found)
        if any(type(p) is Program and p.nested for p in used):
            keys = self.keys
            self.nested.update(
                keys[i] for i, p in enumerate(found) if type(p) is Program and p.nested
            )

    def _problems(self, found: list[Any]) -> None:
        """Each formula's function, or its problem: it was not read, or its shape could not
        be compiled."""
        fns, problems, nested = self.fns, self.problems, self.nested
        for i, program in enumerate(found):
            if type(program) is Program:
                if isinstance(program.fn, Problem):
                    problems[i] = program.fn
                else:
                    fns[i] = program.fn
                continue
            problems[i] = program
            text = self.texts[i]  # a text read but not scanned still counts as calling them:
            if isinstance(text, str) and len(text) <= MAX_FORMULA_CHARS and calls_nested(text):
                nested.add(self.keys[i])

    def _compiled(self, shape: str, n_refs: int) -> Any:
        """The function of a shape with n_refs references, compiled at its first use (a
        Problem if it cannot be); the limits on shapes count in that order."""
        fn = self.shapes.get((shape, n_refs))
        if fn is not None:
            return fn
        limits = self.limits
        try:
            if len(self.shapes) >= limits.max_shapes:
                raise Problem(f"more than {limits.max_shapes} distinct formulas; not evaluated")
            self.compiled_chars += len(shape)
            if self.compiled_chars > limits.max_shape_chars:
                raise Problem(
                    f"distinct formulas of more than {limits.max_shape_chars} characters "
                    "in all; not evaluated"
                )
            slow_allowed = self.fallbacks < limits.max_fallback_shapes
            self.lets = self.lets or "LET(" in shape.upper()
            fn = compile_shape(shape, n_refs, limits, slow_allowed)
            if getattr(fn, "uses_formulas", False):
                self.uses_formulas = True
                self.fallbacks += 1
        except Problem as p:
            fn = p
        except Exception as exc:
            fn = Problem(f"cannot compile formula ({exc!r})")
        self.shapes[(shape, n_refs)] = fn
        return fn

    def order(self, wanted: Collection[int] | None = None) -> list[int]:
        """Formula cells in dependency order (Kahn's algorithm); cycles are left out. All of
        them, or the ``wanted`` ones (every cell they depend on is wanted or known)."""
        n = len(self.keys)
        indegree: Any  # by cell number: a list for all cells, a dict for some
        dependents: dict[int, list[int]] = {}  # of the cells some formula cell refers to
        precedents: Iterable[list[int]]
        if wanted is None:
            members: Iterable[int] = range(n)
            indegree = [0] * n
            precedents = self._all_precedents()
        else:
            members = sorted(wanted)
            indegree = dict.fromkeys(members, 0)
            of = self._precedents_of()
            precedents = ([j for j in of(i) if j in wanted] for i in members)
        for i, found in zip(members, precedents, strict=True):
            if found:
                indegree[i] = len(found)
                for j in found:
                    dependents.setdefault(j, []).append(i)
        if wanted is None:
            self.dependents = dependents
        ready = [i for i in members if not indegree[i]]
        order = []
        while ready:
            i = ready.pop()
            order.append(i)
            for j in dependents.get(i, NONE):
                indegree[j] -= 1
                if not indegree[j]:
                    ready.append(j)
        return order

    def _all_precedents(self) -> list[list[int]]:
        """The formula cells each formula cell refers to (with repeats), in one pass."""
        index_get, deps_of_range = self.index.get, self._range_deps()
        found: list[list[int]] = []
        for refs in self.args:
            mine: list[int] = NONE  # most cells refer to no formula cell: no list of their own
            for a in refs:
                if type(a) is int:
                    j = index_get(a)
                    if j is not None:
                        mine = [*mine, j]
                elif a[1] * a[2] <= SMALL:  # C7:D7 (not interned): each cell looked up
                    for k in a[0] if type(a[0]) is range else chain.from_iterable(a[0]):
                        j = index_get(k)
                        if j is not None:
                            mine = [*mine, j]
                else:
                    inside = deps_of_range(a)
                    if inside:
                        mine = [*mine, *inside]
            found.append(mine)
        return found

    def _precedents_of(self) -> Callable[[int], list[int]]:
        """A function giving the formula cells formula cell i refers to (with repeats)."""
        index, args, deps_of_range = self.index, self.args, self._range_deps()

        def precedents(i: int) -> list[int]:
            found = []
            for a in args[i]:
                if type(a) is int:
                    j = index.get(a)
                    if j is not None:
                        found.append(j)
                else:
                    found += deps_of_range(a)
            return found

        return precedents

    def _range_deps(self) -> Callable[[tuple], list[int]]:
        """A function giving the formula cells inside a range descriptor (made once)."""
        if self.deps is None:
            self.deps = self._new_range_deps()
        return self.deps

    def _new_range_deps(self) -> Callable[[tuple], list[int]]:
        index, keys = self.index, self.keys
        found_by_range: dict[int, list[int]] = {}
        by_column: dict[tuple[int, int], list[int]] = {}

        def deps(d: tuple) -> list[int]:
            """The formula cells inside d (cached by the descriptor's id)."""
            found = found_by_range.get(id(d))
            if found is not None:
                return found
            if d[1] * d[2] <= 4096:
                cells = d[0] if type(d[0]) is range else [k for r in d[0] for k in r]
                found = [index[k] for k in cells if k in index]
            else:  # big range: look the formula rows of each column up by bisection
                if not by_column:
                    for k in keys:
                        by_column.setdefault((k >> SBITS, col_of(k)), []).append(row_of(k))
                    for rows in by_column.values():
                        rows.sort()
                k0 = first_key(d)
                s, r1, c1 = k0 >> SBITS, row_of(k0), col_of(k0)
                found = []
                for c in range(c1, c1 + d[2]):
                    rows = by_column.get((s, c), [])
                    lo, hi = bisect_left(rows, r1), bisect_right(rows, r1 + d[1] - 1)
                    base = (s << SBITS) + c
                    found.extend(index[base + r * W] for r in rows[lo:hi])
            found_by_range[id(d)] = found
            return found

        return deps

    def calculate(self, order: list[int]) -> None:
        """Evaluate the cells in order; fill in the result."""
        self._run_cells(order)
        cells, keys, problems = self.cells, self.keys, self.problems
        values = self.result.values
        if len(order) == len(keys):  # no cell on or after a cycle
            found = list(map(cells.__getitem__, keys))
            if not set(map(type, found)) <= REPORTED_AS_THEY_ARE:  # ints: COUNTIF, =A1 of a blank
                same = REPORTED_AS_THEY_ARE
                found = [v if type(v) in same else output(v) for v in found]
            values.update(zip(self.cell_keys, found, strict=True))
        else:
            done = set(order)
            for i, cell_key in enumerate(self.cell_keys):
                if i in done:
                    values[cell_key] = output(cells[keys[i]])
                else:
                    self.result.circular.add(cell_key)
                    values[cell_key] = CIRCULAR
        for i, p in sorted(problems.items()):
            self.result.unsupported[self.cell_keys[i]] = p.reason
        self._find_causes(order)

    def _run_cells(self, order: list[int]) -> None:
        """Calculate the cells in order, into ``cells``. A cell's problem found in an
        earlier call stays its problem (the same formula of the same values): a cell with a
        problem has no function."""
        cells, keys, fns, args, problems = self.cells, self.keys, self.fns, self.args, self.problems
        g = cells.get
        CellsRead.reset(self.limits.max_cells_read)
        Nested.keys = frozenset(self.nested)
        Nested.hidden_rows = self.hidden_rows
        Matches.clear()
        try:
            with quiet_schedula() if self.uses_formulas else contextlib.nullcontext():
                for i in order:
                    k, fn = keys[i], fns[i]
                    if fn is not None:  # else its problem's value
                        try:
                            cells[k] = fn(g, k, *args[i])
                            continue
                        except Problem as exc:
                            problems[i] = exc
                        except Exception as exc:  # a bug in a shape must not stop the checker
                            problems[i] = Problem(f"evaluation failed: {exc!r}", VALUE)
                        fns[i] = None
                    cells[k] = problems[i].value
        finally:
            Matches.clear()

    def _find_causes(self, order: list[int]) -> None:
        """Fill ``caused_by``: the cells downstream of each cell where trouble starts."""
        dependents = getattr(self, "dependents", None)
        if dependents is None:
            return
        cells, keys, problems = self.cells, self.keys, self.problems
        if not problems and ErrorValue not in set(map(type, map(cells.get, keys))):
            return  # no cell where trouble starts
        root_of: dict[int, int] = {}
        roots: set[int] = set()
        for i in order:  # dependency order: a cell's precedents come first
            root = root_of.get(i)
            if i in problems or (root is None and type(cells.get(keys[i])) is ErrorValue):
                root = i
                roots.add(i)
            if root is None:
                continue
            for j in dependents.get(i, NONE):
                root_of.setdefault(j, root)
        for i in set(problems) - roots:  # on a cycle: never in the order
            roots.add(i)
        caused_by = self.result.caused_by
        for j, root in root_of.items():
            if j not in roots:
                caused_by[self.cell_keys[j]] = self.cell_keys[root]
