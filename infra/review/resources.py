"""Resources added, removed and changed in one stack."""

from __future__ import annotations

from dataclasses import dataclass

from infra.review.assembly import Json


@dataclass(frozen=True, slots=True)
class ResourceChange:
    logical_id: str
    type: str
    kind: str  # "added" | "removed" | "changed" | "replaced type"
    properties: tuple[str, ...] = ()  # the top-level properties that differ


def resource_changes(old: Json, new: Json) -> list[ResourceChange]:
    before, after = old.get("Resources", {}), new.get("Resources", {})
    changes = []
    for logical_id in sorted(before.keys() | after.keys()):
        a, b = before.get(logical_id), after.get(logical_id)
        if a is None:
            changes.append(ResourceChange(logical_id, b["Type"], "added"))
        elif b is None:
            changes.append(ResourceChange(logical_id, a["Type"], "removed"))
        elif a["Type"] != b["Type"]:
            changes.append(ResourceChange(logical_id, b["Type"], "replaced type"))
        else:
            pa, pb = a.get("Properties", {}), b.get("Properties", {})
            differ = tuple(sorted(k for k in pa.keys() | pb.keys() if pa.get(k) != pb.get(k)))
            if differ:
                changes.append(ResourceChange(logical_id, b["Type"], "changed", differ))
    return changes
