"""IAM grants a change adds: identity policies, role trust and resource policies.

A statement is expanded into grants (effect, principal, action, resource,
condition); a grant present after the change and absent before is reported,
grouped back by statement. A grant in a policy that existed before widens it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from infra.assembly import listed
from infra.guardrails.template import text
from infra.review.assembly import Json

# Where each resource type keeps its policy documents.
_DOCUMENTS = {
    "AWS::IAM::Policy": ("PolicyDocument",),
    "AWS::IAM::ManagedPolicy": ("PolicyDocument",),
    "AWS::IAM::Role": ("AssumeRolePolicyDocument",),
    "AWS::S3::BucketPolicy": ("PolicyDocument",),
    "AWS::SQS::QueuePolicy": ("PolicyDocument",),
    "AWS::SNS::TopicPolicy": ("PolicyDocument",),
    "AWS::KMS::Key": ("KeyPolicy",),
}


@dataclass(frozen=True, slots=True, order=True)
class Grant:
    policy: str  # logical id of the resource holding the document
    effect: str
    principal: str
    action: str
    resource: str
    condition: str


@dataclass(frozen=True, slots=True)
class StatementChange:
    """Grants of one statement shape that the change adds, in a new or existing policy."""

    policy: str
    policy_type: str
    widened: bool  # the policy existed before
    effect: str
    principal: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: str

    @property
    def wildcard(self) -> bool:
        """An Allow with a wildcard in its actions, resources or principal. (A Deny with
        one only narrows what is allowed: `Deny s3:* unless TLS` is not a concern.)"""
        if self.effect != "Allow":
            return False
        anyone = self.principal == "*" or '"*"' in self.principal
        return anyone or any("*" in a for a in self.actions) or "*" in self.resources


def _statements(resource: Json) -> Iterator[Json]:
    properties = resource.get("Properties", {})
    for key in _DOCUMENTS.get(resource["Type"], ()):
        yield from properties.get(key, {}).get("Statement", [])
    if resource["Type"] == "AWS::IAM::Role":
        for policy in properties.get("Policies", []):
            yield from policy.get("PolicyDocument", {}).get("Statement", [])


def _compact(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def grants(template: Json) -> dict[str, set[Grant]]:
    """Every grant in a template, by the logical id of the resource that holds it."""
    out: dict[str, set[Grant]] = {}
    for logical_id, resource in template.get("Resources", {}).items():
        for statement in _statements(resource):
            actions = [f"NOT {a}" for a in listed(statement.get("NotAction", []))]
            actions += listed(statement.get("Action", []))
            resources = [f"NOT {text(r)}" for r in listed(statement.get("NotResource", []))]
            resources += [text(r) for r in listed(statement.get("Resource", []))] or [""]
            principal = _compact(
                {k: sorted(text(p) for p in listed(v)) for k, v in statement["Principal"].items()}
                if isinstance(statement.get("Principal"), dict)
                else statement.get("Principal")
            )
            condition = _compact(statement.get("Condition"))
            out.setdefault(logical_id, set()).update(
                Grant(logical_id, statement.get("Effect", "Allow"), principal, a, r, condition)
                for a in actions
                for r in resources
            )
    return out


def added_statements(old: Json, new: Json) -> list[StatementChange]:
    """What the change grants that the baseline did not, grouped by statement shape.

    Actions that gain exactly the same resources share one entry, so each entry
    reads as one statement: these actions on these resources.
    """
    before, after = grants(old), grants(new)
    types = {lid: r["Type"] for lid, r in new.get("Resources", {}).items()}
    per_action: dict[tuple[str, str, str, str, str], set[str]] = {}
    for policy, granted in after.items():
        for g in granted - before.get(policy, set()):
            key = (policy, g.effect, g.principal, g.condition, g.action)
            per_action.setdefault(key, set()).add(g.resource)
    shapes: dict[tuple[str, str, str, str, tuple[str, ...]], list[str]] = {}
    for (policy, effect, principal, condition, action), resources in per_action.items():
        key = (policy, effect, principal, condition, tuple(sorted(resources)))
        shapes.setdefault(key, []).append(action)
    return [
        StatementChange(
            policy=policy,
            policy_type=types[policy],
            widened=policy in before,
            effect=effect,
            principal=principal,
            actions=tuple(sorted(actions)),
            resources=resources,
            condition=condition,
        )
        for (policy, effect, principal, condition, resources), actions in sorted(shapes.items())
    ]
