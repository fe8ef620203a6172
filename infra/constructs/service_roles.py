"""IAM for SageMaker: the roles its jobs (training, tuning, monitoring) and models run as."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.constructs.sagemaker_iam import SAGEMAKER, use_stage_key
from infra.nag import acknowledge, acknowledge_wildcard_resources

# Training in a VPC: SageMaker manages the job's network interfaces with the job role.
VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)


@dataclass(frozen=True)
class ExternalObject:
    """An S3 object outside the stage's buckets that a job must read."""

    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> ExternalObject:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        return cls(bucket, key)


# The log groups SageMaker writes a container's output to, by what runs it (developer
# guide, "Log Amazon SageMaker AI Events with Amazon CloudWatch": /aws/sagemaker/
# TrainingJobs, /aws/sagemaker/ProcessingJobs, /aws/sagemaker/TransformJobs, and
# /aws/sagemaker/Endpoints/[EndpointName], one group per endpoint).
TRAINING_LOGS = "/aws/sagemaker/TrainingJobs"  # tuning jobs' trainings too
PROCESSING_LOGS = "/aws/sagemaker/ProcessingJobs"
TRANSFORM_LOGS = "/aws/sagemaker/TransformJobs"


def endpoint_log_groups(*endpoint_names: str | None) -> tuple[str, ...]:
    """Each named endpoint's own log group."""
    return tuple(f"/aws/sagemaker/Endpoints/{name}" for name in endpoint_names if name)


class _ServiceRole(Construct):
    """A role SageMaker assumes to run containers in the stage's VPC.

    It gets its S3 access from the foundation's per-algorithm policy, uses the
    stage key, writes the log groups of what it runs, publishes SageMaker metrics,
    and manages the containers' VPC network interfaces.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        description: str,
        log_groups: tuple[str, ...],
        key: kms.IKey,
        bucket_access: iam.IManagedPolicy,
        extra: list[iam.PolicyStatement],
        external_objects: tuple[ExternalObject, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.role = iam.Role(self, "Role", assumed_by=SAGEMAKER, description=description)
        self.role.add_managed_policy(bucket_access)
        log_streams = [
            stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=f"{group}:*",
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )
            for group in log_groups
        ]
        statements = [
            *use_stage_key(key),
            iam.PolicyStatement(
                sid="ContainerLogs",
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=log_streams,
            ),
            iam.PolicyStatement(
                sid="SageMakerMetrics",
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],
                conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}},
            ),
            iam.PolicyStatement(
                sid="VpcNetworkInterfaces", actions=list(VPC_ACTIONS), resources=["*"]
            ),
            *extra,
        ]
        if external_objects:
            statements.append(
                iam.PolicyStatement(
                    sid="ReadConfiguredObjects",
                    actions=["s3:GetObject"],
                    resources=[
                        f"arn:{stack.partition}:s3:::{o.bucket}/{o.key}" for o in external_objects
                    ],
                )
            )
        self.policy = iam.Policy(self, "Policy", statements=statements, roles=[self.role])
        pulls_images = any("ecr:GetAuthorizationToken" in s.actions for s in extra)
        acknowledge(
            self.policy,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "EC2 Describe* calls for the containers' VPC network interfaces and "
            "cloudwatch:PutMetricData accept no resource ARN; PutMetricData is limited to "
            "the SageMaker namespaces by condition."
            + (" ecr:GetAuthorizationToken has no resource ARN either." if pulls_images else ""),
        )
        acknowledge_wildcard_resources(
            self.policy,
            log_streams,
            "SageMaker names each container's log stream after it, so the policy covers "
            f"the streams of its own log groups only ({', '.join(log_groups)}).",
        )


class TrainingJobRole(_ServiceRole):
    """The role training and tuning jobs run as (S3: the algorithm's training policy)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        algorithm: str,
        key: kms.IKey,
        bucket_access: iam.IManagedPolicy,
        file_system_arn: str | None = None,
        external_objects: tuple[ExternalObject, ...] = (),
        runs_processing: bool = False,
        image_repositories: tuple[ecr.IRepository, ...] = (),
    ) -> None:
        """`runs_processing`: the role also runs the pipeline's Baseline step, a
        processing job, which logs to the processing jobs' group; `image_repositories`:
        private images it runs (the drift image of the drift-checks Baseline step)."""
        extra = pull_images(image_repositories)
        if file_system_arn is not None:
            extra.append(
                iam.PolicyStatement(
                    sid="DescribeTrainingFileSystem",
                    actions=["fsx:DescribeFileSystems"],
                    resources=[file_system_arn],
                )
            )
        super().__init__(
            scope,
            construct_id,
            description=f"SageMaker training and tuning jobs for {algorithm}",
            log_groups=(TRAINING_LOGS, *((PROCESSING_LOGS,) if runs_processing else ())),
            key=key,
            bucket_access=bucket_access,
            extra=extra,
            external_objects=external_objects,
        )


def pull_images(repositories: tuple[ecr.IRepository, ...]) -> list[iam.PolicyStatement]:
    """Pull from these private repositories (image assets); SageMaker pulls with the
    role. GetAuthorizationToken accepts no resource (Service Authorization Reference)."""
    if not repositories:
        return []
    return [
        iam.PolicyStatement(
            sid="PullImages",
            actions=[
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            resources=[r.repository_arn for r in repositories],
        ),
        iam.PolicyStatement(sid="EcrToken", actions=["ecr:GetAuthorizationToken"], resources=["*"]),
    ]


class MonitoringRole(_ServiceRole):
    """The role monitoring jobs run as (S3: the algorithm's monitoring policy): Model
    Monitor's, or the drift checks' (which pull the drift image, `image_repositories`)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        algorithm: str,
        key: kms.IKey,
        bucket_access: iam.IManagedPolicy,
        image_repositories: tuple[ecr.IRepository, ...] = (),
        description: str | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            description=description or f"Model Monitor jobs for {algorithm}",
            log_groups=(PROCESSING_LOGS,),
            key=key,
            bucket_access=bucket_access,
            extra=pull_images(image_repositories),
        )


class ModelRole(_ServiceRole):
    """The role an algorithm's models run as on endpoints (S3: its own model artifacts).

    `image_repositories`: private ECR repositories the models' images come from (the
    custom servers' image assets); SageMaker pulls them with this role.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        algorithm: str,
        key: kms.IKey,
        bucket_access: iam.IManagedPolicy,
        external_objects: tuple[ExternalObject, ...] = (),
        image_repositories: tuple[ecr.IRepository, ...] = (),
        shared_keys: tuple[tuple[str, str], ...] = (),
        log_groups: tuple[str, ...] = (),
        runs_on: str = "endpoints",
    ) -> None:
        """`log_groups`: those of the endpoints its models run on (`endpoint_log_groups`),
        or the transform jobs' group; `runs_on` says which in the role's description."""
        extra: list[iam.PolicyStatement] = pull_images(image_repositories)
        partition = cdk.Stack.of(scope).partition
        # A package another account shares: its artifact is encrypted with that
        # account's stage key, which we cannot name (its id is that stack's), so any
        # key of that account and region, used through S3 only; the key's own policy
        # admits this account (the registry stage's KeyPolicy).
        shared = [
            f"arn:{partition}:kms:{region}:{account}:key/*" for account, region in shared_keys
        ]
        if shared:
            extra.append(
                iam.PolicyStatement(
                    sid="DecryptSharedArtifacts",
                    actions=["kms:Decrypt"],
                    resources=shared,
                    conditions={
                        "StringEquals": {
                            "kms:ViaService": [
                                f"s3.{r}.{cdk.Stack.of(scope).url_suffix}" for _, r in shared_keys
                            ]
                        }
                    },
                )
            )
        super().__init__(
            scope,
            construct_id,
            description=f"SageMaker models of {algorithm} on {runs_on}",
            log_groups=log_groups,
            key=key,
            bucket_access=bucket_access,
            extra=extra,
            external_objects=external_objects,
        )
        if shared:
            acknowledge_wildcard_resources(
                self.policy,
                shared,
                "Keys of the accounts whose model registries this stage follows, used "
                "through S3 only (kms:ViaService) to read the shared model artifacts; the "
                "key is another stack's, so its id cannot be named here.",
            )
