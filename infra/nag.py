"""cdk-nag 3.x wiring: the packs every synth runs, and acknowledgments with reasons."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct

from infra.assembly import listed, validation_report
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
    acknowledge_all(construct, [finding], reason)


def acknowledge_all(construct: IConstruct, findings: Sequence[str], reason: str) -> None:
    """Acknowledge several exact findings on one construct, for one reason (one jsii call)."""
    if len(reason.split()) < 6:
        raise ValueError(f"acknowledging {findings} needs a specific reason, not {reason!r}")
    if findings:
        cdk.Validations.of(construct).acknowledge(
            *(cdk.Acknowledgment(id=finding, reason=reason) for finding in findings)
        )


def _render(part: object) -> str:
    """A resolved value as cdk-nag writes it inside a finding id.

    cdk-nag joins `Fn::Join` parts, writes pseudo parameters and references as
    `<AWS::Region>` / `<LogicalId.Attr>`, and any other intrinsic as compact JSON.
    """
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and "Fn::Join" in part:
        separator, parts = part["Fn::Join"]
        return separator.join(_render(p) for p in parts)
    if isinstance(part, dict) and set(part) == {"Ref"}:
        return f"<{part['Ref']}>"
    if isinstance(part, dict) and set(part) == {"Fn::GetAtt"}:
        return f"<{'.'.join(part['Fn::GetAtt'])}>"
    return json.dumps(part, separators=(",", ":"))


def acknowledge_wildcard_resources(
    construct: IConstruct, resources: list[str], reason: str
) -> None:
    """Acknowledge AwsSolutions-IAM5 for exactly these wildcard resource ARNs."""
    resolved = cdk.Stack.of(construct).resolve(resources)  # one call for the whole list
    findings = [f"AwsSolutions::AwsSolutions-IAM5[Resource::{_render(r)}]" for r in resolved]
    acknowledge_all(construct, findings, reason)


@dataclass(frozen=True, slots=True)
class GeneratedWildcard:
    """A wildcard a library construct (CDK Pipelines, say) writes into its own policies,
    accepted for the policies whose construct path matches, with the reason."""

    policy: str  # regex over the policy's construct path below the scope
    finding: str  # regex over the IAM5 finding, e.g. r"Action::s3:GetObject\*"
    reason: str


def wildcard_findings(document: dict) -> list[str]:
    """The AwsSolutions-IAM5 findings of a resolved policy document, as cdk-nag names them."""
    found = []
    for statement in document.get("Statement", []):
        found += [f"Action::{a}" for a in listed(statement.get("Action", [])) if "*" in str(a)]
        resources = (_render(r) for r in listed(statement.get("Resource", [])))
        found += [f"Resource::{r}" for r in resources if "*" in r]
    return sorted(set(found))


def acknowledge_generated_wildcards(
    scope: IConstruct, accepted: Sequence[GeneratedWildcard]
) -> None:
    """Acknowledge exactly the IAM5 findings under `scope` that `accepted` explains.

    For policies a library writes, whose ids we cannot name in advance (they hold
    generated logical ids and the stage's account): each finding is read from the
    policy itself, so a new wildcard that no entry explains still fails the synth.
    """
    base = scope.node.path + "/"
    for construct in scope.node.find_all():
        if not isinstance(construct, iam.CfnPolicy):
            continue
        path = construct.node.path.removeprefix(base)
        document = cdk.Stack.of(construct).resolve(construct.policy_document)
        for finding in wildcard_findings(document):
            entry = next(
                (
                    a
                    for a in accepted
                    if re.fullmatch(a.policy, path) and re.fullmatch(a.finding, finding)
                ),
                None,
            )
            if entry is not None:
                acknowledge(construct, f"AwsSolutions::AwsSolutions-IAM5[{finding}]", entry.reason)


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
    return [
        f"{construct['constructPath']}: {violation['ruleName']} — {violation['description']}"
        for plugin in validation_report(Path(assembly_dir)).get("pluginReports", [])
        for violation in plugin.get("violations", [])
        if plugin.get("conclusion") == "failure" or violation.get("severity") == "error"
        for construct in violation.get("violatingConstructs", [])
    ]
