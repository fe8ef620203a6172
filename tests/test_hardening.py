"""Security hardenings AWS's own rule sets ask for (Control Tower proactive controls,
the Guard rules registry), evaluated on the synthesized policies."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Assembly
from tests.iam_evaluation import allowed

pytestmark = pytest.mark.synth

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def policy_statements(template: dict) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every identity policy's statements, by logical id (intrinsics in Resource become *)."""
    out = []
    for logical_id, resource in template["Resources"].items():
        document = {
            "AWS::IAM::Policy": "PolicyDocument",
            "AWS::IAM::ManagedPolicy": "PolicyDocument",
        }.get(resource["Type"])
        if document is None:
            continue
        statements = []
        for statement in resource["Properties"][document]["Statement"]:
            statement = dict(statement)
            resources = statement.get("Resource", "*")
            resources = resources if isinstance(resources, list) else [resources]
            statement["Resource"] = [r if isinstance(r, str) else "*" for r in resources]
            statements.append(statement)
        out.append((logical_id, statements))
    return out


def test_no_role_can_grant_the_stage_key_to_anyone_but_for_aws_resources(
    default_assembly: Assembly,
):
    for_a_volume = {"kms:GrantIsForAWSResource": "true"}
    by_code_in_a_container = {"kms:GrantIsForAWSResource": "false"}
    roles_that_grant = []
    for stack, template in default_assembly.templates().items():
        for logical_id, statements in policy_statements(template):
            assert not allowed(statements, "kms:CreateGrant", KEY, by_code_in_a_container), (
                stack,
                logical_id,
            )
            if allowed(statements, "kms:CreateGrant", KEY, for_a_volume):
                roles_that_grant.append(f"{stack}/{logical_id}")
    # SageMaker still creates its grants for encrypted volumes of jobs and endpoints.
    assert any("JobRole" in r for r in roles_that_grant)
    assert any("ModelRole" in r for r in roles_that_grant)


def test_the_key_policy_admits_grants_only_for_aws_resources(default_assembly: Assembly):
    (key,) = [
        r
        for r in default_assembly.templates()["dev/Foundation"]["Resources"].values()
        if r["Type"] == "AWS::KMS::Key"
    ]
    statements = [
        {**s, "Resource": "*"}
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Action") != "kms:*"  # the account root's, delegating to IAM above
    ]
    grants = [s for s in statements if "kms:CreateGrant" in str(s["Action"])]
    assert [s["Condition"]["Bool"] for s in grants] == [{"kms:GrantIsForAWSResource": "true"}]
