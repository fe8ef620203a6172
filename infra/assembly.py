"""Read a synthesized cloud assembly: its stacks and its validation report.

One reader for the review report, the deploy policies and the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StackArtifact:
    """One stack of the assembly, as its manifest describes it."""

    name: str  # display name: "dev/Foundation", "Pipeline"
    environment: str  # "aws://111111111111/eu-west-1" or unknown-account/unknown-region
    stack_name: str  # the CloudFormation stack's name
    properties: Json  # the manifest's properties (termination protection, roles …)
    template_path: Path

    @property
    def account(self) -> str:
        return self.environment.removeprefix("aws://").split("/")[0]

    def template(self) -> Json:
        return json.loads(self.template_path.read_text())


def stack_artifacts(directory: Path) -> list[StackArtifact]:
    """Every stack in the assembly and its nested assemblies, in manifest order."""
    out = []
    for manifest in sorted(directory.glob("**/manifest.json")):
        for artifact in json.loads(manifest.read_text())["artifacts"].values():
            if artifact["type"] != "aws:cloudformation:stack":
                continue
            properties = artifact["properties"]
            out.append(
                StackArtifact(
                    name=artifact["displayName"],
                    environment=artifact.get("environment", ""),
                    stack_name=properties.get("stackName", artifact["displayName"]),
                    properties=properties,
                    template_path=manifest.parent / properties["templateFile"],
                )
            )
    return out


def listed(value: Any) -> list[Any]:
    """A template value that may be one item or a list (IAM's Action, Resource …), as a list."""
    return value if isinstance(value, list) else [value]


def validation_report(directory: Path) -> Json:
    """The CDK's validation report (every plugin's findings); empty without one."""
    path = directory / "validation-report.json"
    return json.loads(path.read_text()) if path.exists() else {}
