"""Read a cloud assembly: its stacks by display name, and acknowledged findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infra.assembly import StackArtifact, stack_artifacts, validation_report


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One suppressed rule finding from the validation report."""

    at: str  # construct path the acknowledgment sits on
    finding: str  # e.g. "AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]"
    reason: str
    constructs: tuple[str, ...]


def stacks(directory: Path, named_like: Path | None = None) -> dict[str, StackArtifact]:
    """Each stack, by display name (`dev/Foundation`).

    With `named_like`, a stack that deploys as the same CloudFormation stack in the
    same environment as one there takes that one's display name: a stack moved in
    the construct tree is still the stack it replaces (so are the delivery
    pipeline's stage copies in assemblies from before it deployed the stages
    themselves, where the stack already named so stands for its copies).
    """
    names = (
        {(s.environment, s.stack_name): s.name for s in stack_artifacts(named_like)}
        if named_like
        else {}
    )
    out: dict[str, StackArtifact] = {}
    for stack in stack_artifacts(directory):
        name = names.get((stack.environment, stack.stack_name), stack.name)
        if name not in out or stack.name == name:
            out[name] = stack
    return out


def acknowledgments(directory: Path) -> list[Acknowledgment]:
    found = {
        Acknowledgment(
            at=item["acknowledgedAt"],
            finding=item["acknowledgedId"],
            reason=item["reason"],
            constructs=tuple(sorted(c["constructPath"] for c in item["violatingConstructs"])),
        )
        for plugin in validation_report(directory).get("pluginReports", [])
        for item in plugin.get("suppressedViolations", [])
    }
    return sorted(found, key=lambda a: (a.at, a.finding))
