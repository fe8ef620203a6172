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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from infra.assembly import StackArtifact
from infra.review.assembly import Acknowledgment, acknowledgments, stacks
from infra.review.endpoints import Capacity, capacities
from infra.review.engine import REMOVED, REPLACED, ResourceChange, Rule, StackDiff, Statement, diff

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
_WORD = {
    "WILL_REPLACE": "replaced",
    "MAY_REPLACE": "may be replaced",
    "WILL_DESTROY": "destroyed",
    "WILL_ORPHAN": "orphaned",
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
        return f"public: Allow {_one_line(s.action)} on {_one_line(s.resource)} to anyone"
    foreign = _foreign(" ".join(s.principals) + condition, account)
    if foreign:
        return (
            f"cross-account: Allow {_one_line(s.action)} on {_one_line(s.resource)} "
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
    )


# --- Markdown ---


def _one_line(value: str) -> str:
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "<br>")


def _code(value: str) -> str:
    return f"`{_cell(value)}`" if value else ""


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _details(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "</details>", ""]


def _types(changes: list[ResourceChange]) -> str:
    counted = Counter(c.type for c in changes)
    return ", ".join(t if n == 1 else f"{t} ({n})" for t, n in sorted(counted.items()))


def _causes(c: ResourceChange) -> str:
    causes = [name for name, impact in c.properties if impact in REPLACED]
    if c.impact == "WILL_REPLACE" and not causes and c.properties == ():
        causes = ["Type"]
    return f" ({', '.join(causes)})" if causes else ""


def _stateful_line(r: Risk) -> str:
    where = " (stack removed from the app; when it is deleted)" if r.stack_removed else ""
    c = r.change
    return (
        f"  - `{r.stack}`{where}: `{c.logical_id}` {c.type} **{_WORD[c.impact]}**"
        f"{_causes(c)} — {r.data()}"
    )


def _other_lines(risks: list[Risk]) -> list[str]:
    lines = []
    for stack in sorted({r.stack for r in risks}):
        mine = [r for r in risks if r.stack == stack]
        if mine[0].stack_removed:
            counted = Counter(_WORD[r.change.impact] for r in mine)
            what = ", ".join(f"{word} {n}" for word, n in sorted(counted.items()))
            lines.append(
                f"  - `{stack}` removed from the app (a deploy leaves it; deleting it): {what}"
            )
            continue
        for impact, word in _WORD.items():
            changes = [r.change for r in mine if r.change.impact == impact]
            if changes:
                lines.append(f"  - `{stack}` {word}: {_types(changes)}")
    return lines


def _broadening_lines(r: Review) -> list[str]:
    lines = []
    for s in r.broadened:
        grants = [
            f"{st.change} {st.effect} {_code(_one_line(st.action))} on "
            f"{_code(_one_line(st.resource))} for {_code(_one_line(st.principal))}"
            + (" when " + _code(_one_line(st.condition)) if st.condition else "")
            for st in s.diff.statements
            if (st.change == "+") != st.negative
        ]
        grants += [
            f"{m['change']} managed policy {_code(str(m.get('managedPolicyArn', '')))} "
            f"on {_code(str(m.get('identityArn', '')))}"
            for m in s.diff.managed_policies
            if m["change"] == "+"
        ]
        grants += [
            f"+ {rule.direction} {rule.protocol} {'from' if rule.direction == 'ingress' else 'to'} "
            f"{_code(rule.peer)} on {_code(rule.group)}"
            for rule in s.diff.rules
            if rule.change == "+"
        ]
        lines.append(f"  - `{s.name}`:")
        lines += [f"    - {g}" for g in grants[:10]]
        if len(grants) > 10:
            lines.append(f"    - … {len(grants) - 10} more under `{s.name}` below")
    return lines


def verdict(r: Review) -> list[str]:
    """The block a reviewer reads first: data at risk, permissions, exposure."""
    stateful = [x for x in r.risks if x.holds_data]
    other = [x for x in r.risks if not x.holds_data]
    lines = ["## Verdict", ""]
    if stateful:
        lines.append(
            f"- **Resources holding data replaced, destroyed or orphaned: {len(stateful)}**"
        )
        lines += [_stateful_line(x) for x in stateful]
    else:
        lines.append("- Resources holding data replaced, destroyed or orphaned: none")
    if other:
        lines.append(f"- Other resources replaced, destroyed or orphaned: {len(other)}")
        lines += _other_lines(other)
    else:
        lines.append("- Other resources replaced, destroyed or orphaned: none")
    if r.broadened:
        lines.append("- **Permissions broadened** (the CDK diff engine's judgement):")
        lines += _broadening_lines(r)
    else:
        lines.append("- Permissions broadened: no")
    if r.exposures:
        lines.append(f"- **Public or cross-account exposure added: {len(r.exposures)}**")
        lines += [f"  - `{e.stack}`: {_cell(e.what)}" for e in r.exposures]
    else:
        lines.append("- Public or cross-account exposure added: none")
    return [*lines, ""]


def _resources(d: StackDiff) -> list[str]:
    if not d.resources:
        return []
    rows = [
        (
            _WORD.get(c.impact, c.impact.removeprefix("WILL_").lower()),
            _code(c.logical_id),
            c.type,
            ", ".join(
                f"{name} ({_WORD.get(impact or '', (impact or '').removeprefix('WILL_').lower())})"
                for name, impact in c.properties
            )
            + (", " if c.properties and c.other else "")
            + ", ".join(c.other),
        )
        for c in d.resources
    ]
    return _table(("impact", "logical id", "type", "properties (impact)"), rows)


def _iam(d: StackDiff) -> list[str]:
    lines = []
    if d.statements:
        rows = [
            (
                s.change,
                _code(s.resource),
                s.effect,
                _code(s.action),
                _code(s.principal),
                _code(s.condition),
            )
            for s in d.statements
        ]
        header = ("", "resource", "effect", "action", "principal", "condition")
        lines += ["IAM statements:", "", *_table(header, rows)]
    if d.managed_policies:
        rows = [
            (
                m["change"],
                _code(str(m.get("identityArn", ""))),
                _code(str(m.get("managedPolicyArn", ""))),
            )
            for m in d.managed_policies
        ]
        lines += ["Managed policies:", "", *_table(("", "identity", "policy"), rows)]
    if d.rules:
        rows = [(x.change, _code(x.group), x.direction, x.protocol, _code(x.peer)) for x in d.rules]
        header = ("", "group", "direction", "protocol", "peer")
        lines += ["Security group rules:", "", *_table(header, rows)]
    return lines


def _capacity(c: Capacity | None) -> str:
    if c is None:
        return "—"
    return c.instance + (f", autoscaling {c.scaling}" if c.scaling else "")


def _endpoints(s: StackReview) -> list[str]:
    if not s.endpoints:
        return []
    rows = []
    for before, now in s.endpoints:
        either = now or before
        assert either is not None
        names = [_code(c.name) for c in (before, now) if c is not None]
        rows.append(
            (
                " → ".join(dict.fromkeys(names)),
                either.variant,
                _capacity(before),
                _capacity(now),
                _code(before.model) if before else "—",
                _code(now.model) if now else "—",
            )
        )
    header = ("endpoint", "variant", "capacity before", "capacity after", "model before", "after")
    return ["Endpoints:", "", *_table(header, rows)]


def _ack_rows(items: list[tuple[str, Acknowledgment]]) -> list[tuple[str, ...]]:
    return [(sign, _code(a.at), _code(a.finding), _cell(a.reason)) for sign, a in items]


def _acknowledged(s: StackReview) -> list[str]:
    if not s.acknowledged:
        return []
    header = ("", "construct", "finding", "reason")
    return ["Acknowledged rule findings:", "", *_table(header, _ack_rows(s.acknowledged))]


def _stack(s: StackReview) -> list[str]:
    lines = [f"### {s.name}" + (f" ({s.status})" if s.status else ""), ""]
    if s.status == "removed":
        lines += ["No longer in the app: a deploy leaves the stack; deleting it does this.", ""]
    lines += _resources(s.diff) + _iam(s.diff) + _endpoints(s) + _acknowledged(s)
    if s.diff.sections:
        lines += [f"Also changed: {', '.join(s.diff.sections)}.", ""]
    return lines


def _unchanged(r: Review) -> list[str]:
    lines = []
    if r.unchanged:
        lines += _details(f"Unchanged stacks ({len(r.unchanged)})", [", ".join(r.unchanged), ""])
    if r.endpoints_unchanged:
        rows = [
            (c.stack, _code(c.name), c.variant, _capacity(c), _code(c.model))
            for c in r.endpoints_unchanged
        ]
        header = ("stack", "endpoint", "variant", "capacity", "model")
        lines += _details(
            f"Unchanged endpoints ({len(r.endpoints_unchanged)})", _table(header, rows)
        )
    if r.acknowledged_unchanged:
        header = ("construct", "finding", "reason")
        rows = [row[1:] for row in _ack_rows([("", a) for a in r.acknowledged_unchanged])]
        lines += _details(
            f"Unchanged acknowledged rule findings ({len(r.acknowledged_unchanged)})",
            _table(header, rows),
        )
    return lines


def render(r: Review) -> str:
    if r.baseline is None:
        intro = "No baseline assembly was given: everything below is new."
    else:
        intro = f"Compared with the baseline assembly `{r.baseline}`."
    lines = ["# Infrastructure review", "", intro, "", *verdict(r)]
    if not r.stacks:
        lines.append(
            f"No change: {len(r.unchanged)} stacks, {len(r.endpoints_unchanged)} endpoint "
            f"variants and {len(r.acknowledged_unchanged)} acknowledged rule findings "
            "as in the baseline."
        )
        return "\n".join(lines) + "\n"
    lines += ["## Changed stacks", ""]
    for s in r.stacks:
        lines += _stack(s)
    lines += _unchanged(r)
    return "\n".join(lines).rstrip() + "\n"
