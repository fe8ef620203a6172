"""Read a cloud assembly: stack templates by display name, and acknowledged findings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One suppressed rule finding from the validation report."""

    at: str  # construct path the acknowledgment sits on
    finding: str  # e.g. "AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]"
    reason: str
    constructs: tuple[str, ...]


def stacks(directory: Path) -> dict[str, Json]:
    """Every stack template under `directory`, by display name (`dev/Foundation`)."""
    out: dict[str, Json] = {}
    for manifest in sorted(directory.glob("**/manifest.json")):
        for artifact in json.loads(manifest.read_text())["artifacts"].values():
            if artifact["type"] == "aws:cloudformation:stack":
                template = manifest.parent / artifact["properties"]["templateFile"]
                out[artifact["displayName"]] = json.loads(template.read_text())
    return dict(sorted(out.items()))


def acknowledgments(directory: Path) -> list[Acknowledgment]:
    path = directory / "validation-report.json"
    if not path.exists():
        return []
    report = json.loads(path.read_text())
    found = {
        Acknowledgment(
            at=item["acknowledgedAt"],
            finding=item["acknowledgedId"],
            reason=item["reason"],
            constructs=tuple(sorted(c["constructPath"] for c in item["violatingConstructs"])),
        )
        for plugin in report.get("pluginReports", [])
        for item in plugin.get("suppressedViolations", [])
    }
    return sorted(found, key=lambda a: (a.at, a.finding))
