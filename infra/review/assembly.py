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
    """Every stack template under `directory`, by display name (`dev/Foundation`).

    The delivery pipeline's copy of a stage deploys the very same stacks (same
    name, same environment) as the top-level stage: each is listed once.
    """
    found: dict[tuple[str, str], tuple[str, Path]] = {}
    for manifest in sorted(directory.glob("**/manifest.json")):
        for artifact in json.loads(manifest.read_text())["artifacts"].values():
            if artifact["type"] != "aws:cloudformation:stack":
                continue
            key = (artifact.get("environment", ""), artifact["properties"].get("stackName", ""))
            name = artifact["displayName"]
            # The shorter path is the top-level stage's (`dev/X`, not `Pipeline/dev/X`).
            if key not in found or len(name) < len(found[key][0]):
                found[key] = (name, manifest.parent / artifact["properties"]["templateFile"])
    return dict(sorted((name, json.loads(path.read_text())) for name, path in found.values()))


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
