"""A small evaluation of IAM policy statements, in the spirit of the IAM policy
simulator: does an Allow statement match this action, resource and request context?
Enough of the condition operators for this project's policies; an operator it does not
know makes the statement not match (the safe answer for a test of denials)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _condition_holds(operator: str, key: str, wanted: Any, context: Mapping[str, str]) -> bool:
    actual = context.get(key)
    if actual is None:
        return False  # IAM: a missing key fails every operator but the ...IfExists ones
    candidates = [str(w) for w in _listed(wanted)]
    if operator in ("StringEquals", "ArnEquals"):
        return actual in candidates
    if operator in ("StringLike", "ArnLike"):
        return any(fnmatchcase(actual, c) for c in candidates)
    if operator == "Bool":
        return actual.lower() in (c.lower() for c in candidates)
    return False


def matches(
    statement: Mapping[str, Any], action: str, resource: str, context: Mapping[str, str]
) -> bool:
    if not any(
        fnmatchcase(action.lower(), a.lower()) for a in _listed(statement.get("Action", []))
    ):
        return False
    resources = [r for r in _listed(statement.get("Resource", "*")) if isinstance(r, str)]
    if resources and not any(fnmatchcase(resource, r) for r in resources):
        return False
    for operator, conditions in statement.get("Condition", {}).items():
        for key, wanted in conditions.items():
            if not _condition_holds(operator, key, wanted, context):
                return False
    return True


def allowed(
    statements: Iterable[Mapping[str, Any]], action: str, resource: str, context: Mapping[str, str]
) -> bool:
    """Whether an Allow statement grants the request and no Deny statement refuses it."""
    hits = [s for s in statements if matches(s, action, resource, context)]
    return any(s["Effect"] == "Allow" for s in hits) and not any(
        s["Effect"] == "Deny" for s in hits
    )
