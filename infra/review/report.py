"""Render the review of a change (baseline assembly → new assembly) as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infra.review.assembly import Acknowledgment, Json, acknowledgments, stacks
from infra.review.endpoints import Capacity, capacities
from infra.review.iam import StatementChange, added_statements
from infra.review.network import security_group_changes
from infra.review.resources import ResourceChange, resource_changes

EMPTY: Json = {"Resources": {}}


@dataclass(frozen=True)
class StackReview:
    name: str
    status: str  # "new", "removed" or "" (in both)
    resources: list[ResourceChange]
    iam: list[StatementChange]
    rules_added: list[str]
    rules_removed: list[str]

    @property
    def changed(self) -> bool:
        return bool(
            self.status or self.resources or self.iam or self.rules_added or self.rules_removed
        )


@dataclass(frozen=True)
class Review:
    baseline: str | None
    stacks: list[StackReview]
    endpoints: list[tuple[Capacity, Capacity | None]]  # (now, before)
    endpoints_removed: list[Capacity]
    acknowledged: list[tuple[Acknowledgment, bool]]  # (acknowledgment, new)
    unchanged: list[str] = field(default_factory=list)


def review(new_dir: Path, baseline_dir: Path | None) -> Review:
    new = stacks(new_dir)
    old = stacks(baseline_dir, named_like=new_dir) if baseline_dir else {}
    reviews = []
    for name in sorted(new.keys() | old.keys()):
        a, b = old.get(name, EMPTY), new.get(name, EMPTY)
        status = "new" if name not in old else "removed" if name not in new else ""
        added, removed = security_group_changes(a, b)
        reviews.append(
            StackReview(
                name, status, resource_changes(a, b), added_statements(a, b), added, removed
            )
        )
    before = {c.key: c for name, body in old.items() for c in capacities(name, body)}
    now = [c for name, body in new.items() for c in capacities(name, body)]
    now_keys = {c.key for c in now}
    old_acks = set(acknowledgments(baseline_dir)) if baseline_dir else set()
    return Review(
        baseline=str(baseline_dir) if baseline_dir else None,
        stacks=[r for r in reviews if r.changed],
        endpoints=[(c, before.get(c.key)) for c in now],
        endpoints_removed=[c for key, c in sorted(before.items()) if key not in now_keys],
        acknowledged=[(a, a not in old_acks) for a in acknowledgments(new_dir)],
        unchanged=[r.name for r in reviews if not r.changed],
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _code(value: str) -> str:
    return f"`{_cell(value)}`" if value else ""


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _summary(r: Review) -> list[str]:
    if r.baseline is None:
        intro = "No baseline assembly was given: everything below is listed as added."
    else:
        intro = f"Compared with the baseline assembly `{r.baseline}`."
    lines = ["# Infrastructure review", "", intro, ""]
    if not r.stacks:
        return [*lines, "No stack changes.", ""]
    rows = []
    for s in r.stacks:
        count = {kind: sum(c.kind == kind for c in s.resources) for kind in ("added", "removed")}
        changed = sum(c.kind not in ("added", "removed") for c in s.resources)
        wildcard = sum(c.wildcard for c in s.iam)
        iam = f"{len(s.iam)}" + (f" ({wildcard} with wildcards)" if wildcard else "")
        rules = f"+{len(s.rules_added)} -{len(s.rules_removed)}"
        name = f"{s.name} ({s.status})" if s.status else s.name
        rows.append((name, str(count["added"]), str(count["removed"]), str(changed), iam, rules))
    header = ("stack", "added", "removed", "changed", "IAM statements added", "SG rules")
    lines += ["## Summary", "", *_table(header, rows)]
    if r.unchanged:
        lines += [f"Unchanged: {', '.join(r.unchanged)}.", ""]
    return lines


def _iam_line(c: StatementChange) -> str:
    where = f"`{c.policy}` ({c.policy_type}{', widened' if c.widened else ''})"
    flag = "**wildcard** " if c.wildcard else ""
    who = f" for {_code(c.principal)}" if c.principal else ""
    condition = f" when {_code(c.condition)}" if c.condition else ""
    actions = ", ".join(_code(a) for a in c.actions)
    resources = ", ".join(_code(x) for x in c.resources if x) or "(no resource)"
    return f"- {flag}{c.effect} {actions} on {resources}{who}{condition} — {where}"


def _stack(s: StackReview) -> list[str]:
    lines = [f"### {s.name}" + (f" ({s.status})" if s.status else ""), ""]
    if s.resources:
        rows = [(c.kind, _code(c.logical_id), c.type, ", ".join(c.properties)) for c in s.resources]
        lines += _table(("change", "logical id", "type", "properties"), rows)
    if s.iam:
        lines += ["IAM statements added or widened:", "", *map(_iam_line, s.iam), ""]
    if s.rules_added or s.rules_removed:
        lines += ["Security group rules:", ""]
        lines += [f"- added: {_code(rule)}" for rule in s.rules_added]
        lines += [f"- removed: {_code(rule)}" for rule in s.rules_removed]
        lines.append("")
    return lines


def _capacity_changes(before: Capacity, now: Capacity) -> list[str]:
    changes = []
    if before.instance != now.instance:
        changes.append(f"was {before.instance}")
    if before.scaling != now.scaling:
        changes.append(f"autoscaling was {before.scaling or 'none'}")
    if before.name != now.name:
        changes.append(f"renamed from {_code(before.name)}")
    if before.model != now.model:
        changes.append(f"served {_code(before.model) or 'nothing'}")
    return changes


def _endpoints(r: Review) -> list[str]:
    if not r.endpoints and not r.endpoints_removed:
        return []
    rows = []
    for now, before in r.endpoints:
        was = "new" if before is None else "; ".join(_capacity_changes(before, now))
        rows.append(
            (
                now.stack,
                _code(now.name),
                now.variant,
                now.instance,
                now.scaling or "—",
                _code(now.model),
                was,
            )
        )
    rows += [
        (
            c.stack,
            _code(c.name),
            c.variant,
            "removed",
            "",
            "",
            f"was {c.instance}, served {_code(c.model)}",
        )
        for c in r.endpoints_removed
    ]
    header = ("stack", "endpoint", "variant", "instances", "autoscaling", "model", "change")
    return ["## Endpoints", "", *_table(header, rows)]


def _acknowledged(r: Review) -> list[str]:
    if not r.acknowledged:
        return []
    rows = [
        (_code(a.at), _code(a.finding), _cell(a.reason), "new" if new else "")
        for a, new in r.acknowledged
    ]
    return [
        "## Acknowledged rule findings",
        "",
        *_table(("construct", "finding", "reason", "change"), rows),
    ]


def render(r: Review) -> str:
    lines = _summary(r)
    if r.stacks:
        lines += ["## Stacks", ""]
        for s in r.stacks:
            lines += _stack(s)
    lines += _endpoints(r) + _acknowledged(r)
    return "\n".join(lines).rstrip() + "\n"
