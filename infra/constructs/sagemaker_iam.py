"""What every SageMaker role shares: the service principal, the stage key's use, and
the rule that what a role runs is created only after the role's policies."""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

SAGEMAKER = iam.ServicePrincipal("sagemaker.amazonaws.com")
KEY_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")


def use_stage_key(key: kms.IKey) -> list[iam.PolicyStatement]:
    """Use of the stage key, and grants on it only for AWS resources: creating an
    encrypted job volume makes SageMaker create a grant on the key on the role's behalf
    (kms:GrantIsForAWSResource is true then), while code running as the role (a
    training container, a custom model server) cannot grant itself or anyone lasting
    decrypt (AWS KMS developer guide, "kms:GrantIsForAWSResource")."""
    return [
        iam.PolicyStatement(sid="UseStageKey", actions=list(KEY_USE), resources=[key.key_arn]),
        iam.PolicyStatement(
            sid="GrantsForAwsResources",
            actions=["kms:CreateGrant"],
            resources=[key.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        ),
    ]


def after_role_policies(role: Construct, resources: Iterable[cdk.CfnResource]) -> None:
    """Create `resources` only once `role` and every policy it is given exist.

    A role's policies are resources of their own: without this, CloudFormation may
    create a model, job definition or pipeline while the policy granting the role its
    key or bucket access is still being attached, and SageMaker's first use of the
    role fails (CreateModel validates access to the artifact with it).
    """
    for resource in resources:
        resource.node.add_dependency(role)
