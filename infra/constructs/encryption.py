"""The stage's customer-managed KMS key."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

# Services that encrypt with the stage key on a caller's behalf (kms:ViaService).
VIA_SERVICES = ("sagemaker", "s3", "kinesis", "sqs", "fsx", "sns")
_USE = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey")


class StageKey(Construct):
    """A rotating customer-managed key whose policy names each service that uses it.

    The account root keeps `kms:*` (the CDK default, so IAM policies can grant use
    and the key can never become unmanageable); beyond that, principals of this
    account may use the key only through the listed services in this region, and
    CloudWatch Logs only for this account's log groups.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, removal_policy: cdk.RemovalPolicy
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            description=f"{stack.stack_name}: SageMaker data, artifacts, streams and logs",
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )
        via_services = {
            "kms:CallerAccount": stack.account,
            "kms:ViaService": [
                f"{service}.{stack.region}.{stack.url_suffix}" for service in VIA_SERVICES
            ],
        }
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="UseThroughStageServices",
                principals=[iam.AccountPrincipal(stack.account)],
                actions=list(_USE),
                resources=["*"],  # in a key policy, "*" means this key
                conditions={"StringEquals": via_services},
            )
        )
        # Grants only as the services make them for their resources (encrypted volumes).
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="GrantsForStageServices",
                principals=[iam.AccountPrincipal(stack.account)],
                actions=["kms:CreateGrant"],
                resources=["*"],
                conditions={
                    "StringEquals": via_services,
                    "Bool": {"kms:GrantIsForAWSResource": "true"},
                },
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="PublishToEncryptedTopics",
                # EventBridge rules and CloudWatch alarms publish to the stage's topic.
                principals=[
                    iam.ServicePrincipal("events.amazonaws.com"),
                    iam.ServicePrincipal("cloudwatch.amazonaws.com"),
                ],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsForThisAccount",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.{stack.url_suffix}")],
                actions=list(_USE),
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:*"
                        )
                    }
                },
            )
        )

    def share_model_artifacts(self, accounts: tuple[str, ...]) -> None:
        """Let `accounts` (every account that serves some algorithm from this stage's
        registry) decrypt through S3 only: their endpoints read the model
        artifacts of the packages this stage registers (cross-account deploy, SageMaker
        developer guide "Deploy a Model Version from a Different Account"). Which
        objects is the artifacts bucket's policy's say (`StageBuckets.share_models`): the
        key policy cannot name the bucket, whose own encryption names this key."""
        stack = cdk.Stack.of(self)
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="DecryptSharedModelArtifacts",
                principals=[iam.AccountPrincipal(account) for account in accounts],
                actions=["kms:Decrypt"],
                resources=["*"],
                conditions={
                    "StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"}
                },
            )
        )

    def admit_file_system_imports(self) -> None:
        """Let FSx for Lustre's S3-access service-linked role read and write the SSE-KMS
        data bucket it links (facts: "Working with server-side encrypted Amazon S3
        buckets", FSx Lustre guide). The role is created with the file system, after this
        key, and its name ends in the file system's id: it is matched by ARN pattern, in
        this account, through S3 only. Without this statement the file system sees no data.
        """
        stack = cdk.Stack.of(self)
        role = (
            f"arn:{stack.partition}:iam::{stack.account}:role/aws-service-role/"
            "s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_*"
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="FsxLinksTheDataBucket",
                principals=[iam.AnyPrincipal()],
                actions=list(_USE),
                resources=["*"],
                conditions={
                    "StringEquals": {
                        "kms:CallerAccount": stack.account,
                        "kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}",
                    },
                    "ArnLike": {"aws:PrincipalArn": role},
                },
            )
        )
