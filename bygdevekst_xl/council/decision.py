"""The draft decision for one municipality's council, in numbered points, ready to paste."""

from __future__ import annotations

from .facts import Facts
from .words import date_text, hours_text, kroner_text, period_label


def decision_points(facts: Facts) -> list[str]:
    """The numbered points of the draft decision (bokmål), without their numbers."""
    pilot = facts.figures.budget.pilot
    t = facts.figures.totals
    share = facts.share
    years = pilot.years
    whole = facts.whole
    municipalities = _and(list(pilot.municipalities))
    per_year = _and(
        [
            f"{hours_text(share.hours_per_year[y])} timer "
            f"({kroner_text(share.kroner_per_year[y])}) i {year}"
            for y, year in enumerate(years)
        ]
    )
    cap = (
        f"innenfor taket på {kroner_text(t.kdd_cap)}"
        if whole(t.kdd) <= t.kdd_cap
        else f"som er over taket på {kroner_text(t.kdd_cap)}"
    )
    per_project = "; ".join(
        f"{row.project}: {hours_text(sum(row.hours))} timer ({kroner_text(sum(row.kroner))})"
        for row in share.rows
        if sum(row.hours) or sum(row.kroner)
    )
    points = [
        f"Kommunestyret i {share.municipality} slutter seg til søknaden fra {pilot.name} "
        f"({municipalities}) om bygdevekstavtale med Kommunal- og distriktsdepartementet (KDD) "
        f"for {period_label(years)}, med kostnadsplan og finansieringsplan som i vedlegget "
        f"(innholds-ID {facts.digest}, {date_text(facts.date)}).",
        f"Samlede kostnader er {kroner_text(whole(t.total_costs))}, medregnet kommunenes "
        f"egeninnsats på {kroner_text(whole(t.in_kind))}. Det søkes om "
        f"{kroner_text(whole(t.kdd))} fra KDD, {cap} for hele perioden. "
        f"Statsforvalteren bidrar med {kroner_text(whole(t.statsforvalteren))}.",
        f"{share.municipality} kommune forplikter seg til en egeninnsats på "
        f"{hours_text(share.hours)} timer i prosjektperioden, verdsatt til "
        f"{kroner_text(share.kroner)} ({kroner_text(pilot.hourly_rate)} per time): {per_year}. "
        "Egeninnsatsen gis som arbeidstid.",
    ]
    if per_project:
        points.append(f"Egeninnsatsen fordeles på prosjektene slik: {per_project}.")
    points.append(
        f"Vedtaket gir søknaden den politiske forankringen den ble sendt med forbehold om. "
        f"Prosjektleder {pilot.project_leader} holder kommunestyret orientert om fremdriften."
        if pilot.project_leader
        else "Vedtaket gir søknaden den politiske forankringen den ble sendt med forbehold om."
    )
    return points


def draft_note(facts: Facts) -> str:
    """What a draft says about itself."""
    if facts.errors:
        return (
            f"UTKAST – kontrollen fant {len(facts.errors)} feil i arbeidsboka, som må rettes "
            "før saken legges fram."
        )
    return "UTKAST – ikke til vedtak i denne formen."


def decision_title(facts: Facts) -> tuple[str, str]:
    """The heading of the draft decision and the line under it."""
    pilot = facts.figures.budget.pilot
    return (
        f"Forslag til vedtak – {facts.share.municipality} kommunestyre",
        f"Bygdevekstavtale for {pilot.name}, {period_label(pilot.years)}",
    )


def decision_text(facts: Facts) -> str:
    """The draft decision as plain text: a heading and numbered points."""
    lines = []
    if facts.draft:
        lines += [draft_note(facts), ""]
    lines += [*decision_title(facts), ""]
    for number, point in enumerate(decision_points(facts), start=1):
        lines.append(f"{number}. {point}")
        lines.append("")
    lines.append(f"Innholds-ID {facts.digest} · {date_text(facts.date)} · {facts.workbook}")
    return "\n".join(lines) + "\n"


def _and(names: list[str]) -> str:
    """``Hammerfest, Hasvik og Måsøy``."""
    return names[0] if len(names) < 2 else f"{', '.join(names[:-1])} og {names[-1]}"
