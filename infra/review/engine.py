"""The CDK's diff engine (`@aws-cdk/cloudformation-diff`, what `cdk diff` uses), run
over pairs of templates by `diff.mjs`: per-resource impact, IAM statement and
security group rule changes, and whether permissions are broadened."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.assembly import Json

SCRIPT = Path(__file__).with_name("diff.mjs")

# The engine's ResourceImpact values that leave the old physical resource behind.
REPLACED = ("WILL_REPLACE", "MAY_REPLACE")
REMOVED = ("WILL_DESTROY", "WILL_ORPHAN")


@dataclass(frozen=True, slots=True)
class ResourceChange:
    logical_id: str
    type: str
    impact: str  # WILL_CREATE | WILL_UPDATE | WILL_REPLACE | MAY_REPLACE | WILL_DESTROY | …
    stateful: bool  # CloudFormation's registry says the type holds data
    deletion_policy: str | None  # the old resource's
    update_replace_policy: str | None  # the new template's
    properties: tuple[tuple[str, str | None], ...]  # (property, its impact)
    other: tuple[str, ...]  # attributes other than Properties that differ


@dataclass(frozen=True, slots=True)
class Statement:
    """One IAM statement the change adds ("+") or removes ("-"), as the engine renders it."""

    change: str
    resource: str
    effect: str
    action: str
    principal: str
    condition: str
    condition_json: Json | None
    principals: tuple[str, ...]
    negative: bool  # a Deny, or an Allow on NotAction/NotResource/NotPrincipal


@dataclass(frozen=True, slots=True)
class Rule:
    """One security group rule the change adds ("+") or removes ("-")."""

    change: str
    direction: str  # ingress | egress
    group: str
    protocol: str
    peer: str
    cidr: str | None


@dataclass(frozen=True, slots=True)
class StackDiff:
    name: str
    resources: tuple[ResourceChange, ...]
    statements: tuple[Statement, ...]
    managed_policies: tuple[Json, ...]
    rules: tuple[Rule, ...]
    sections: tuple[str, ...]  # outputs, parameters … that differ
    permissions_broadened: bool

    @property
    def empty(self) -> bool:
        return not (
            self.resources
            or self.statements
            or self.managed_policies
            or self.rules
            or self.sections
        )


def _node() -> str:
    # The Node the project links into the virtualenv (scripts/link_node.py), else PATH's.
    linked = Path(sys.executable).parent / "node"
    return str(linked) if linked.exists() else shutil.which("node") or "node"


def _stack(item: Json) -> StackDiff:
    return StackDiff(
        name=item["name"],
        resources=tuple(
            ResourceChange(
                logical_id=r["logicalId"],
                type=r["type"],
                impact=r["impact"],
                stateful=r["stateful"],
                deletion_policy=r["deletionPolicy"],
                update_replace_policy=r["updateReplacePolicy"],
                properties=tuple((p["name"], p["impact"]) for p in r["properties"]),
                other=tuple(r["other"]),
            )
            for r in item["resources"]
            if r["impact"] != "NO_CHANGE" or r["properties"] or r["other"]
        ),
        statements=tuple(
            Statement(
                change=s["change"],
                resource=s["resource"],
                effect=s["effect"],
                action=s["action"],
                principal=s["principal"],
                condition=s["condition"],
                condition_json=s["conditionJson"],
                principals=tuple(s["principals"]),
                negative=s["negative"],
            )
            for s in item["iam"]["statements"]
        ),
        managed_policies=tuple(item["iam"]["managedPolicies"]),
        rules=tuple(
            Rule(r["change"], r["direction"], r["group"], r["protocol"], r["peer"], r["cidr"])
            for r in item["securityGroups"]
        ),
        sections=tuple(item["sections"]),
        permissions_broadened=item["permissionsBroadened"],
    )


def diff(pairs: list[tuple[str, Path | None, Path | None]]) -> dict[str, StackDiff]:
    """The engine's diff of each (name, baseline template, new template); None is no template."""
    request = [
        {"name": name, "old": str(old) if old else None, "new": str(new) if new else None}
        for name, old, new in pairs
    ]
    result = subprocess.run(
        [_node(), str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "FORCE_COLOR": "0"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"{SCRIPT.name} failed: {result.stderr.strip()}")
    return {item["name"]: _stack(item) for item in json.loads(result.stdout)}
