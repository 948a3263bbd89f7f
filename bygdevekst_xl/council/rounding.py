"""Amounts in thousands of kroner that add up: controlled rounding of a table and its totals.

Every figure is rounded to one of the two nearest whole thousands (a figure that already is a
whole thousand stays as it is), chosen so that every row and every column adds up to the total
printed for it. Among the roundings that add up, the one with the smallest total rounding error
is taken: the figures with the largest remainders are rounded up, as the largest-remainder
method does for a single column. Totals marked *fixed* (the grand totals) are rounded to the
nearest thousand, halves away from zero.

A table is a set of cells, each with a path on the row side and one on the column side; the
prefixes of the paths are the totals (a row, a group of rows, a column, a group of columns, and
the empty prefix for the grand total). Because both sides are trees, the choice of which cells
to round up is a flow through a network (rows -> cells -> columns) whose bounds are the totals'
floors and ceilings, and a min-cost flow picks the rounding with the smallest error.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Sequence

from ..dataclass import dataclass

Path = tuple[Hashable, ...]


class RoundingError(RuntimeError):
    """No rounding adds up under the requested fixed totals (never for a free table)."""


@dataclass(frozen=True)
class Cell:
    """One figure of a table, in whole kroner, with where it sits on each side."""

    value: int
    row: Path
    col: Path


@dataclass(frozen=True)
class Rounded:
    """A rounded table: each cell and each total, in whole units (thousands)."""

    cells: tuple[int, ...]
    rows: dict[Path, int]
    cols: dict[Path, int]

    @property
    def grand(self) -> int:
        """The grand total (the empty path), as rounded."""
        return self.rows[()]


def round_half_away(value: int, unit: int = 1000) -> int:
    """``value`` in whole ``unit``s, nearest, halves away from zero (as Excel's ROUND)."""
    sign = -1 if value < 0 else 1
    return sign * ((abs(value) * 2 + unit) // (2 * unit))


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` whole units in proportion to ``weights`` (equal shares when all are 0).

    Each share is the floor of its quota plus one for the largest remainders, so the shares add
    up to ``total`` exactly; of equal remainders, the first wins.
    """
    n = len(weights)
    if n == 0:
        return []
    weight = sum(weights)
    quotas = [total / n] * n if weight == 0 else [total * w / weight for w in weights]
    shares = [int(q // 1) for q in quotas]
    left = total - sum(shares)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: max(left, 0)]:
        shares[i] += 1
    return shares


def controlled_round(
    cells: Sequence[Cell], unit: int = 1000, fixed: frozenset[tuple[str, Path]] = frozenset()
) -> Rounded:
    """Round every cell and every total of a table so that all of them add up.

    ``fixed`` names totals, as ``("row", path)`` or ``("col", path)``, that must be the nearest
    whole unit (halves away from zero); the grand total always is. Raises ``RoundingError`` when
    the fixed totals leave no rounding that adds up.
    """
    floors = [c.value // unit for c in cells]
    rests = [c.value - f * unit for c, f in zip(cells, floors, strict=True)]
    row_nodes = _prefixes(c.row for c in cells)
    col_nodes = _prefixes(c.col for c in cells)
    sums = {("row", p): 0 for p in row_nodes} | {("col", p): 0 for p in col_nodes}
    bases = dict.fromkeys(sums, 0)  # each total's sum of floors
    for cell, floor in zip(cells, floors, strict=True):
        for key in [("row", cell.row[:i]) for i in range(len(cell.row) + 1)] + [
            ("col", cell.col[:i]) for i in range(len(cell.col) + 1)
        ]:
            sums[key] += cell.value
            bases[key] += floor
    net = _Network()
    source, sink = net.node(), net.node()
    ids = {key: net.node() for key in sums}
    big = 4 * unit * (len(cells) + len(sums) + 1)
    grand = ("row", ())
    for key, total in sums.items():
        side, path = key
        if side == "col" and path == ():
            net.edge(ids[key], sink, len(cells), 0)  # the grand total is bounded on the row side
            continue
        base = bases[key]
        low, high = total // unit - base, -(-total // unit) - base
        if key == grand or key in fixed:
            low = high = round_half_away(total, unit) - base
        parent = source if key == grand else ids[(side, path[:-1])]
        head, tail = (parent, ids[key]) if side == "row" else (ids[key], ids[(side, path[:-1])])
        if low > 0:
            net.edge(head, tail, low, -big)
        if high > low:
            net.edge(head, tail, high - low, _cost(total % unit, unit))
    cell_edges = []
    for i, cell in enumerate(cells):
        cap = 1 if rests[i] else 0
        cell_edges.append(net.edge(ids[("row", cell.row)], ids[("col", cell.col)], cap, 0))
    for i, edge in enumerate(cell_edges):
        net.cost[edge] = _cost(rests[i], unit) if net.cap[edge] else 0
    net.min_cost_flow(source, sink)
    rounded = tuple(floors[i] + net.flow(e) for i, e in enumerate(cell_edges))
    rows = {p: 0 for p in row_nodes}
    cols = {p: 0 for p in col_nodes}
    for cell, value in zip(cells, rounded, strict=True):
        for i in range(len(cell.row) + 1):
            rows[cell.row[:i]] += value
        for i in range(len(cell.col) + 1):
            cols[cell.col[:i]] += value
    for key, total in sums.items():
        got = (rows if key[0] == "row" else cols)[key[1]]
        exact = key == grand or key in fixed
        if (exact and got != round_half_away(total, unit)) or not (
            total // unit <= got <= -(-total // unit)
        ):
            raise RoundingError(f"no rounding adds up with {key[1] or 'the grand total'} fixed")
    return Rounded(rounded, rows, cols)


def _cost(rest: int, unit: int) -> int:
    """What rounding up adds to the error over rounding down (halves prefer up)."""
    return 2 * (unit - 2 * rest) - 1


def _prefixes(paths) -> list[Path]:
    seen: dict[Path, None] = {}
    for path in paths:
        for i in range(len(path) + 1):
            seen.setdefault(tuple(path[:i]), None)
    if not seen:
        seen[()] = None
    return list(seen)


class _Network:
    """A small min-cost-flow network (successive shortest paths).

    The network starts without cycles, so its residual graph never has a negative cycle.
    """

    def __init__(self) -> None:
        self.adj: list[list[int]] = []
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.original: list[int] = []

    def node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def edge(self, a: int, b: int, cap: int, cost: int) -> int:
        for u, v, c, w in ((a, b, cap, cost), (b, a, 0, -cost)):
            self.adj[u].append(len(self.to))
            self.to.append(v)
            self.cap.append(c)
            self.cost.append(w)
            self.original.append(c)
        return len(self.to) - 2

    def flow(self, edge: int) -> int:
        return self.original[edge] - self.cap[edge]

    def min_cost_flow(self, source: int, sink: int) -> None:
        """Push flow along cheapest paths while a path of negative cost is left.

        Successive shortest paths with node potentials: one Bellman-Ford pass (by a queue) for
        the first potentials, then Dijkstra on costs made non-negative by them.
        """
        for e in range(0, len(self.to), 2):  # costs set after the edge was made
            self.cost[e + 1] = -self.cost[e]
        potential = self._bellman_ford(source)
        unreached = float("inf")
        while True:
            dist: list[float] = [unreached] * len(self.adj)
            via = [-1] * len(self.adj)
            dist[source] = 0
            heap = [(0.0, source)]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                for e in self.adj[u]:
                    if self.cap[e] <= 0:
                        continue
                    v = self.to[e]
                    nd = d + self.cost[e] + potential[u] - potential[v]
                    if nd < dist[v]:
                        dist[v], via[v] = nd, e
                        heapq.heappush(heap, (nd, v))
            if dist[sink] == unreached or dist[sink] + potential[sink] - potential[source] >= 0:
                return  # no path left, or no cheaper rounding left
            for node, d in enumerate(dist):
                if d != unreached:
                    potential[node] += d
            path, v = [], sink
            while v != source:
                path.append(via[v])
                v = self.to[via[v] ^ 1]
            push = min(self.cap[e] for e in path)
            for e in path:
                self.cap[e] -= push
                self.cap[e ^ 1] += push

    def _bellman_ford(self, source: int) -> list[float]:
        """Cheapest cost from ``source`` to every node over edges with room (SPFA)."""
        dist: list[float] = [0.0] * len(self.adj)
        reached = [False] * len(self.adj)
        dist[source], reached[source] = 0.0, True
        queue, queued = deque([source]), [False] * len(self.adj)
        while queue:
            u = queue.popleft()
            queued[u] = False
            for e in self.adj[u]:
                v = self.to[e]
                if self.cap[e] > 0 and (not reached[v] or dist[u] + self.cost[e] < dist[v]):
                    dist[v], reached[v] = dist[u] + self.cost[e], True
                    if not queued[v]:
                        queued[v] = True
                        queue.append(v)
        return dist
