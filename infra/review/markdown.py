"""The review as Markdown: the verdict first, then each changed stack, the unchanged
ones folded into <details>."""

from __future__ import annotations

from collections import Counter

from infra.review.assembly import Acknowledgment
from infra.review.endpoints import Capacity
from infra.review.engine import REPLACED, ResourceChange, StackDiff
from infra.review.idle import render_floors
from infra.review.report import Review, Risk, StackReview, flatten

_WORD = {
    "WILL_REPLACE": "replaced",
    "MAY_REPLACE": "may be replaced",
    "WILL_DESTROY": "destroyed",
    "WILL_ORPHAN": "orphaned",
}


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
            f"{st.change} {st.effect} {_code(flatten(st.action))} on "
            f"{_code(flatten(st.resource))} for {_code(flatten(st.principal))}"
            + (" when " + _code(flatten(st.condition)) if st.condition else "")
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
    lines = ["# Infrastructure review", "", intro, "", *verdict(r), *render_floors(list(r.floors))]
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
