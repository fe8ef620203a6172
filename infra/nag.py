"""cdk-nag 3.x wiring: the packs every synth runs, and acknowledgments with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct

from infra.guardrails.pack import SageMakerChecks


def add_packs(scope: cdk.App | cdk.Stage) -> None:
    """Run the AwsSolutions, Serverless and SageMaker packs over everything under `scope`."""
    cdk.Validations.of(scope).add_plugins(
        AwsSolutionsChecks(), ServerlessChecks(), SageMakerChecks()
    )


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one exact finding on one construct.

    `finding` is what cdk-nag prints after "Acknowledge with", e.g.
    `AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]`.
    """
    if len(reason.split()) < 6:
        raise ValueError(f"acknowledging {finding} needs a specific reason, not {reason!r}")
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))


def rendered(scope: IConstruct, value: str) -> str:
    """`value` (which may hold tokens) as cdk-nag writes it inside a finding id.

    cdk-nag joins `Fn::Join` parts, writes pseudo parameters and references as
    `<AWS::Region>` / `<LogicalId.Attr>`, and any other intrinsic as compact JSON.
    """

    def render(part: object) -> str:
        if isinstance(part, str):
            return part
        if isinstance(part, dict) and "Fn::Join" in part:
            separator, parts = part["Fn::Join"]
            return separator.join(render(p) for p in parts)
        if isinstance(part, dict) and set(part) == {"Ref"}:
            return f"<{part['Ref']}>"
        if isinstance(part, dict) and set(part) == {"Fn::GetAtt"}:
            return f"<{'.'.join(part['Fn::GetAtt'])}>"
        return json.dumps(part, separators=(",", ":"))

    return render(cdk.Stack.of(scope).resolve(value))


def acknowledge_wildcard_resources(
    construct: IConstruct, resources: list[str], reason: str
) -> None:
    """Acknowledge AwsSolutions-IAM5 for exactly these wildcard resource ARNs."""
    for resource in resources:
        finding = f"AwsSolutions::AwsSolutions-IAM5[Resource::{rendered(construct, resource)}]"
        acknowledge(construct, finding, reason)


def synth_and_validate(app: cdk.App) -> list[str]:
    """Synthesize `app`; return its unacknowledged findings, one per line."""
    try:
        app.synth()
    except RuntimeError as error:  # jsii's form of the CDK's ValidationFailed
        if "ValidationFailed" not in str(error):
            raise
    return report_violations(app.outdir)


def report_violations(assembly_dir: str) -> list[str]:
    """One line per violation in the cloud assembly's validation report.

    The CDK writes the report but still exits 0 when a plugin fails; the app
    checks it so that a finding fails the synth. A plugin's conclusion can read
    "success" beside an unacknowledged error, so errors count either way.
    """
    path = Path(assembly_dir) / "validation-report.json"
    if not path.exists():
        return []
    report = json.loads(path.read_text())
    return [
        f"{construct['constructPath']}: {violation['ruleName']} — {violation['description']}"
        for plugin in report.get("pluginReports", [])
        for violation in plugin.get("violations", [])
        if plugin.get("conclusion") == "failure" or violation.get("severity") == "error"
        for construct in violation.get("violatingConstructs", [])
    ]
