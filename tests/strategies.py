"""Hypothesis strategies: random valid budget specs."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

LETTERS = string.ascii_letters + "æøåÆØÅéü"
TEXT = LETTERS + string.digits + " -.,()%&=+@'"

words = st.text(alphabet=LETTERS, min_size=1, max_size=10)
texts = st.text(alphabet=TEXT, min_size=0, max_size=40).map(str.strip)
names = st.text(alphabet=TEXT, min_size=1, max_size=40).map(str.strip).filter(bool)
category_names = names.filter(lambda s: s[0] not in "=<>")  # else a SUMIF criterion
ids = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
kroner = st.integers(min_value=0, max_value=20_000_000)
hours = st.one_of(st.integers(0, 2000), st.integers(0, 4000).map(lambda h: h / 2))


def unique_by(key):
    return lambda items: len({key(i) for i in items}) == len(items)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A random spec valid against the schema and the cross-checks."""
    municipalities = draw(st.lists(words, min_size=1, max_size=4, unique_by=str.casefold))
    first_year = draw(st.integers(2020, 2030))
    categories = draw(
        st.lists(
            st.fixed_dictionaries(
                {"id": ids, "name": category_names, "kdd_eligible": st.booleans()},
                optional={"note": texts},
            ),
            min_size=1,
            max_size=6,
        )
        .filter(unique_by(lambda c: c["id"]))
        .filter(unique_by(lambda c: c["name"].casefold()))
    )
    category_ids = [c["id"] for c in categories]
    sheet_names = (
        st.text(alphabet=LETTERS + string.digits + " -", min_size=1, max_size=31)
        .map(str.strip)
        .filter(
            lambda s: (
                s
                and s.casefold() not in {"forside", "parametre", "samlet budsjett og finansiering"}
            )
        )
    )
    projects = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids,
                    "name": names,
                    "sheet": sheet_names,
                    "working_group": st.booleans(),
                    "description": st.lists(names, max_size=3),
                    "costs": st.lists(
                        st.fixed_dictionaries(
                            {
                                "category": st.sampled_from(category_ids),
                                "description": texts,
                                "amounts": st.lists(kroner, min_size=2, max_size=2),
                            }
                        ),
                        max_size=6,
                    ),
                    "hours": st.dictionaries(
                        st.sampled_from(municipalities),
                        st.lists(hours, min_size=2, max_size=2),
                        max_size=4,
                    ),
                    "financing": st.fixed_dictionaries(
                        {
                            "kdd": st.lists(kroner, min_size=2, max_size=2),
                            "statsforvalteren": st.lists(kroner, min_size=2, max_size=2),
                        }
                    ),
                }
            ),
            min_size=1,
            max_size=4,
        )
        .filter(unique_by(lambda p: p["id"]))
        .filter(unique_by(lambda p: p["sheet"].casefold()))
    )
    return {
        "pilot": {
            "name": draw(names),
            "municipalities": municipalities,
            "years": [first_year, first_year + 1],
            "kdd_cap": draw(kroner),
            "hourly_rate": draw(st.integers(0, 2000)),
            "application_deadline": f"{first_year - 1}-11-01",
            "council_meeting": f"{first_year - 1}-11-22",
            "project_leader": draw(names),
            "reservation": draw(texts),
        },
        "categories": categories,
        "projects": projects,
    }
