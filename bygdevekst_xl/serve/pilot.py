"""The pilot form and the spec: what the form starts from, and the scheme's excluded uses
marked and locked (never KDD-eligible, whatever the form or an uploaded spec says)."""

from __future__ import annotations

import copy
from typing import Any

from ..model import Category
from ..scheme import MAX_KDD_CAP, excluded_use


def excluded(data: Any) -> list[str]:
    """For each category of a spec's data, the excluded use it is ("" when none)."""
    categories = data.get("categories") if isinstance(data, dict) else None
    out = []
    for item in categories if isinstance(categories, list) else []:
        item = item if isinstance(item, dict) else {}
        category = Category(str(item.get("id", "")), str(item.get("name", "")), False)
        use = excluded_use(category)
        out.append(use.what if use else "")
    return out


def locked(data: Any) -> Any:
    """The spec's data with every excluded use not KDD-eligible (a copy; other data as it is,
    for the spec's own validation to judge)."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        return data
    data = copy.deepcopy(data)
    for item, use in zip(data["categories"], excluded(data), strict=True):
        if use and isinstance(item, dict):
            item["kdd_eligible"] = False
    return data


def form_state(data: dict[str, Any]) -> dict[str, Any]:
    """What the form's script starts from: the spec (locked), the excluded uses and the
    scheme's cap."""
    data = locked(data)
    return {"spec": data, "excluded": excluded(data), "max_cap": MAX_KDD_CAP}
