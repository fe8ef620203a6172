"""cdk-nag 3.x wiring: the packs every synth runs, and acknowledgments with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct


def add_packs(scope: cdk.App | cdk.Stage) -> None:
    """Run the AwsSolutions and Serverless packs over everything under `scope`."""
    cdk.Validations.of(scope).add_plugins(AwsSolutionsChecks(), ServerlessChecks())


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one exact finding on one construct.

    `finding` is what cdk-nag prints after "Acknowledge with", e.g.
    `AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]`.
    """
    if len(reason.split()) < 6:
        raise ValueError(f"acknowledging {finding} needs a specific reason, not {reason!r}")
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))


def report_violations(assembly_dir: str) -> list[str]:
    """One line per violation in the cloud assembly's validation report.

    The CDK writes the report but still exits 0 when a plugin fails; the app
    checks it so that a finding fails the synth.
    """
    path = Path(assembly_dir) / "validation-report.json"
    if not path.exists():
        return []
    report = json.loads(path.read_text())
    return [
        f"{construct['constructPath']}: {violation['ruleName']} — {violation['description']}"
        for plugin in report.get("pluginReports", [])
        if plugin.get("conclusion") == "failure"
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]
