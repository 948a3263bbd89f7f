"""What the changes do: totals, KDD and the headroom under the cap, each municipality's own
share, each project's balance, and the verdict of each rule in both versions."""

from __future__ import annotations

from ..compute import number
from ..layout.summary_sheet import RULE_NAMES
from ..model import Budget
from ..texts import OK
from .changes import Effect, Verdict
from .versions import Version


def effects(old: Version, new: Version) -> list[Effect]:
    """Key totals, own shares per municipality and balances per project and year."""
    a, b = old.read.budget, new.read.budget
    ta, tb = old.layout.totals, new.layout.totals  # the map's: budget_totals of each budget
    out = [
        Effect("total-costs", {}, ta.total_costs, tb.total_costs),
        Effect("cash-costs", {}, ta.costs, tb.costs),
        Effect("kdd-total", {}, ta.kdd, tb.kdd),
        Effect("kdd-headroom", {}, ta.kdd_headroom, tb.kdd_headroom),
        Effect("statsforvalteren", {}, ta.statsforvalteren, tb.statsforvalteren),
        Effect("own-share", {}, ta.in_kind, tb.in_kind),
    ]
    municipalities = [*a.pilot.municipalities]
    municipalities += [m for m in b.pilot.municipalities if m not in municipalities]
    for municipality in municipalities:
        hours_a, hours_b = _hours(a, municipality), _hours(b, municipality)
        where = {"municipality": municipality}
        out.append(Effect("own-hours", where, hours_a, hours_b))
        out.append(
            Effect(
                "own-kroner", where, hours_a * a.pilot.hourly_rate, hours_b * b.pilot.hourly_rate
            )
        )
    out += _balances(old, new)
    return out


def _hours(budget: Budget, municipality: str) -> float:
    """The hours a municipality gives over all projects and years (0 when it is not in it)."""
    years = len(budget.pilot.years)
    return sum(number(h) for p in budget.projects for h in p.hours_of(municipality)[:years])


def _balances(old: Version, new: Version) -> list[Effect]:
    """Financing − costs per project and year (0 where a project or year is missing)."""
    a, b = old.read.budget, new.read.budget

    def balances(version: Version) -> dict[tuple[str, int], float]:
        budget, totals = version.read.budget, version.layout.projects  # project_totals of each
        return {
            (p.id, year): balance
            for p in budget.projects
            for year, balance in zip(budget.pilot.years, totals[p.id][1].balance, strict=True)
        }

    names = {p.id: p.name for p in a.projects} | {p.id: p.name for p in b.projects}
    ba, bb = balances(old), balances(new)
    keys = [*ba, *(k for k in bb if k not in ba)]
    return [
        Effect(
            "balance",
            {"project": names[pid], "year": year},
            ba.get((pid, year), 0),
            bb.get((pid, year), 0),
        )
        for pid, year in keys
    ]


def verdicts(old: Version, new: Version) -> list[Verdict]:
    """Each rule of the combined sheet, as the map computes it for each version."""
    return [
        Verdict(key, old.layout.anchor(key).value == OK, new.layout.anchor(key).value == OK)
        for key, _text in RULE_NAMES
    ]


def cap_figures(old: Version, new: Version) -> dict[str, float]:
    """KDD total and cap of each version (the headline says first when one breaks the cap)."""
    ta, tb = old.layout.totals, new.layout.totals
    return {"old_kdd": ta.kdd, "old_cap": ta.kdd_cap, "new_kdd": tb.kdd, "new_cap": tb.kdd_cap}
