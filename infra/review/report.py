"""Review a change (baseline assembly → new assembly) and render it as Markdown.

The CDK's diff engine (`infra.review.engine`) judges each stack's templates: what is
replaced, destroyed or orphaned, the IAM and security group changes, whether
permissions are broadened. This module adds what is ours: which stacks correspond
(by deployed name and environment), which resources hold data, exposure outside
the stage's account, endpoint capacity and served models, acknowledged findings,
and the verdict a reviewer reads first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from infra.assembly import StackArtifact
from infra.review.assembly import Acknowledgment, acknowledgments, stacks
from infra.review.endpoints import Capacity, capacities
from infra.review.engine import REMOVED, REPLACED, ResourceChange, Rule, StackDiff, Statement, diff
from infra.review.idle import StageFloor, stage_floors

# Hold data or history though CloudFormation's registry does not mark them stateful
# (it marks buckets, file systems, keys, streams, log groups, queues, tables …).
HOLDS_HISTORY = frozenset(
    {
        "AWS::SageMaker::ModelPackageGroup",  # the registry: every approved model version
        "AWS::SageMaker::ModelPackage",
        "AWS::SageMaker::FeatureGroup",
        "AWS::ECR::Repository",
    }
)
# What --fail-on accepts.
CATEGORIES = {
    "broadening": "permissions broadened (the CDK diff engine's judgement)",
    "replace-stateful": "a resource holding data replaced, or destroyed",
    "exposure": "public or cross-account exposure added",
    "replace": "any resource replaced, destroyed or orphaned",
}
# Condition keys that keep a statement with principal `*` inside an account,
# organization or network: such a statement is not public.
_SCOPING_KEYS = re.compile(
    r"(aws:(Principal|Source)(Account|Arn|OrgID|OrgPaths|Vpce?|Ip)|"
    r"kms:CallerAccount|aws:ResourceAccount)",
    re.IGNORECASE,
)
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")


@dataclass(frozen=True)
class Risk:
    """A resource the change replaces, destroys or orphans."""

    stack: str
    change: ResourceChange
    stack_removed: bool  # the stack left the app: this happens when it is deleted

    @property
    def holds_data(self) -> bool:
        return self.change.stateful or self.change.type in HOLDS_HISTORY

    @property
    def replaced(self) -> bool:
        return self.change.impact in REPLACED

    @property
    def loses_data(self) -> bool:
        """Replaced (the stack then uses a new, empty one) or destroyed."""
        return self.holds_data and self.change.impact != "WILL_ORPHAN"

    def data(self) -> str:
        """What happens to the data, by the policy CloudFormation applies."""
        if self.replaced:
            policy = self.change.update_replace_policy or "Delete"
            if policy == "Retain":
                kept = "the old one is kept with its data; the stack uses a new, empty one"
            elif policy == "Snapshot":
                kept = "a snapshot of the old one is kept; the stack uses a new, empty one"
            else:
                kept = "the old one is deleted with its data"
            maybe = "if replaced, " if self.change.impact == "MAY_REPLACE" else ""
            return f"UpdateReplacePolicy {policy}: {maybe}{kept}"
        policy = self.change.deletion_policy or "Delete"
        if self.change.impact == "WILL_ORPHAN":
            return f"DeletionPolicy {policy}: kept with its data, no longer managed by the stack"
        return f"DeletionPolicy {policy}: deleted with its data"


@dataclass(frozen=True)
class Exposure:
    stack: str
    what: str


@dataclass(frozen=True)
class StackReview:
    name: str
    status: str  # "new", "removed" or "" (in both)
    diff: StackDiff
    endpoints: list[tuple[Capacity | None, Capacity | None]]  # (before, now), changed only
    acknowledged: list[tuple[str, Acknowledgment]]  # ("+" or "-", acknowledgment)

    @property
    def changed(self) -> bool:
        return bool(self.status or not self.diff.empty or self.endpoints or self.acknowledged)


@dataclass(frozen=True)
class Review:
    baseline: str | None
    stacks: list[StackReview]  # those that changed
    unchanged: list[str]
    endpoints_unchanged: list[Capacity]
    acknowledged_unchanged: list[Acknowledgment]
    risks: list[Risk]
    broadened: list[StackReview]
    exposures: list[Exposure]
    # Each stage's idle cost floor before and after (infra.review.idle).
    floors: tuple[StageFloor, ...] = ()

    def categories(self) -> set[str]:
        """The --fail-on categories that occur."""
        found = set()
        if self.broadened:
            found.add("broadening")
        if any(r.loses_data for r in self.risks):
            found.add("replace-stateful")
        if self.exposures:
            found.add("exposure")
        if self.risks:
            found.add("replace")
        return found


def _foreign(text: str, account: str) -> list[str]:
    return sorted({a for a in _ACCOUNT.findall(text) if a != account})


def _statement_exposure(s: Statement, account: str) -> str | None:
    if s.change != "+" or s.effect != "Allow" or s.negative:
        return None
    condition = json.dumps(s.condition_json or {})
    anyone = any(p in ("*", "AWS:*") for p in s.principals)
    if anyone and not _SCOPING_KEYS.search(condition):
        return f"public: Allow {flatten(s.action)} on {flatten(s.resource)} to anyone"
    foreign = _foreign(" ".join(s.principals) + condition, account)
    if foreign:
        return (
            f"cross-account: Allow {flatten(s.action)} on {flatten(s.resource)} "
            f"to account {', '.join(foreign)}"
        )
    return None


def _rule_exposure(r: Rule) -> str | None:
    if r.change == "+" and r.direction == "ingress" and r.cidr in ("0.0.0.0/0", "::/0"):
        return f"public: ingress {r.protocol} from {r.cidr} to {r.group}"
    return None


def exposures(name: str, d: StackDiff, account: str) -> list[Exposure]:
    """What the change opens outside the stage's account: statements granting anyone
    (principal `*` with no condition on account, organization or network) or another
    account, and ingress from 0.0.0.0/0 or ::/0."""
    found = [_statement_exposure(s, account) for s in d.statements]
    found += [_rule_exposure(r) for r in d.rules]
    return [Exposure(name, what) for what in found if what]


def _account(artifact: StackArtifact) -> str:
    account = artifact.account
    return account if _ACCOUNT.fullmatch(account) else ""


def _under(stack: str, acknowledgment: Acknowledgment) -> bool:
    return acknowledgment.at.startswith(f"{stack}/")


def review(new_dir: Path, baseline_dir: Path | None) -> Review:
    new = stacks(new_dir)
    old = stacks(baseline_dir, named_like=new_dir) if baseline_dir else {}
    names = sorted(new.keys() | old.keys())
    diffs = diff(
        [
            (
                n,
                old[n].template_path if n in old else None,
                new[n].template_path if n in new else None,
            )
            for n in names
        ]
    )
    before = {c.key: c for n, a in old.items() for c in capacities(n, a.template())}
    now = {c.key: c for n, a in new.items() for c in capacities(n, a.template())}
    acks_now = set(acknowledgments(new_dir))
    acks_before = set(acknowledgments(baseline_dir)) if baseline_dir else set()
    acks_changed = [("+", a) for a in acks_now - acks_before]
    acks_changed += [("-", a) for a in acks_before - acks_now]

    reviews, risks, broadened, exposed = [], [], [], []
    for name in names:
        status = "new" if name not in old else "removed" if name not in new else ""
        d = diffs[name]
        endpoints = [
            (before.get(key), now.get(key))
            for key in sorted(before.keys() | now.keys())
            if key[0] == name and before.get(key) != now.get(key)
        ]
        acked = sorted(
            ((sign, a) for sign, a in acks_changed if _under(name, a)),
            key=lambda item: (item[1].at, item[1].finding, item[0]),
        )
        stack = StackReview(name, status, d, endpoints, acked)
        reviews.append(stack)
        risks += [
            Risk(name, c, stack_removed=status == "removed")
            for c in d.resources
            if c.impact in REPLACED + REMOVED
        ]
        if status == "removed":
            # A deploy leaves a stack that left the app; deleting it takes its
            # resources with their policies, which is no broadening.
            continue
        if d.permissions_broadened:
            broadened.append(stack)
        exposed += exposures(name, d, _account(new[name]))

    changed = [r for r in reviews if r.changed]
    unchanged_acks = sorted(
        acks_now - {a for _, a in acks_changed}, key=lambda a: (a.at, a.finding)
    )
    return Review(
        baseline=str(baseline_dir) if baseline_dir else None,
        stacks=changed,
        unchanged=[r.name for r in reviews if not r.changed],
        endpoints_unchanged=[c for key, c in sorted(now.items()) if before.get(key) == c],
        acknowledged_unchanged=unchanged_acks,
        risks=risks,
        broadened=broadened,
        exposures=exposed,
        floors=tuple(stage_floors(new, old)),
    )


# --- Markdown ---


def flatten(value: str) -> str:
    """A multi-line value (a policy's JSON, say) on one line."""
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())
