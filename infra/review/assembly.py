"""Read a cloud assembly: stack templates by display name, and acknowledged findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infra.assembly import Json, stack_artifacts, validation_report


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One suppressed rule finding from the validation report."""

    at: str  # construct path the acknowledgment sits on
    finding: str  # e.g. "AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]"
    reason: str
    constructs: tuple[str, ...]


def stacks(directory: Path) -> dict[str, Json]:
    """Each stack's template, by display name (`dev/Foundation`)."""
    return {stack.name: stack.template() for stack in stack_artifacts(directory)}


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
