"""Drift checks for one real-time endpoint (engine drift-checks): the drift image, the
Lambda steps, the monitoring pipeline, its schedule and its alarms."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.drift_alarms import drift_alarms
from infra.constructs.drift_steps import drift_steps
from infra.constructs.sagemaker_iam import SAGEMAKER, after_role_policies, use_stage_key
from infra.constructs.schedules import start_on_schedule
from infra.constructs.service_roles import MonitoringRole
from infra.nag import acknowledge_wildcard_resources
from infra.names import physical_name
from infra.pipelines.drift import DriftResources, drift_pipeline
from infra.plan import AlgorithmPlan
from infra.plan.monitoring import MonitorPlan

# The drift job's own build context (contract: containers/drift/README.md); the
# model-server images' context, containers/, ignores it (containers/.dockerignore).
DRIFT_CONTEXT = Path(__file__).resolve().parents[2] / "containers" / "drift"
DRIFT_DOCKERFILE = "Dockerfile"
_IMAGE_ID = "DriftImage"


def drift_image(scope: Construct) -> ecr_assets.DockerImageAsset:
    """The stack's one drift image asset (linux/amd64, SageMaker's processing hosts),
    built by `cdk deploy` and pushed to the bootstrap repository."""
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(_IMAGE_ID)
    if isinstance(existing, ecr_assets.DockerImageAsset):
        return existing
    return ecr_assets.DockerImageAsset(
        stack,
        _IMAGE_ID,
        directory=str(DRIFT_CONTEXT),
        file=DRIFT_DOCKERFILE,
        platform=ecr_assets.Platform.LINUX_AMD64,
        display_name="drift checks",
    )


class DriftMonitoring(Construct):
    """A SageMaker Pipeline `<stage>-<algorithm>-drift` (window Lambda → drift check
    processing job → publish Lambda), started by an EventBridge Scheduler schedule
    (hourly or daily, CMK-encrypted), and alarms to the stage topic: drifted-feature
    share, model quality (when configured), no data for N runs, failed runs.

    Rendered only once the plan has no `schedules` wait: the endpoint and the training
    pipeline's reference profile exist.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        plan: AlgorithmPlan,
        monitor: MonitorPlan,
        endpoint: sagemaker.CfnEndpoint,
        endpoint_name: str,
        data_plane: DataPlane,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        assert monitor.drift is not None
        stack = cdk.Stack.of(self)
        key = data_plane.key
        image = drift_image(self)
        job_role = MonitoringRole(
            self,
            "JobRole",
            algorithm=plan.name,
            key=key,
            bucket_access=data_plane.monitoring_access[plan.name],
            image_repositories=(image.repository,),
            description=f"Drift check jobs for {plan.name}",
        )
        function = drift_steps(self, plan.name, data_plane, log_retention_days)
        name = physical_name(stage, plan.name, "drift", max_length=256)
        self.pipeline_name = name
        pipeline_role = self._pipeline_role(plan.name, job_role.role, function, key)
        definition = drift_pipeline(
            plan,
            monitor,
            DriftResources(
                function_arn=function.function_arn,
                job_role_arn=job_role.role.role_arn,
                image=image.image_uri,
                artifacts_bucket=data_plane.artifacts_bucket.bucket_name,
                kms_key_arn=key.key_arn,
                subnet_ids=tuple(s.subnet_id for s in data_plane.private_subnets),
                security_group_ids=(data_plane.workload_security_group.security_group_id,),
                endpoint_name=endpoint_name,
            ),
        )
        self.pipeline = sagemaker.CfnPipeline(
            self,
            "Pipeline",
            pipeline_name=name,
            pipeline_description=f"Drift checks of {endpoint_name}",
            role_arn=pipeline_role.role_arn,
            pipeline_definition={"PipelineDefinitionBody": stack.to_json_string(definition)},
        )
        self.pipeline.node.add_dependency(endpoint)
        after_role_policies(job_role, [self.pipeline])
        self.pipeline.node.add_dependency(pipeline_role, self._pipeline_policy)
        self.schedule = start_on_schedule(
            self, "Schedule", self.pipeline, name, monitor.schedule_expression, key
        )
        drift_alarms(
            self,
            plan=plan,
            monitor=monitor,
            pipeline_name=name,
            endpoint_name=endpoint_name,
            topic=data_plane.notifications,
            after=self.pipeline,
        )

    def _pipeline_role(
        self, algorithm: str, job_role: iam.IRole, function: lambda_.IFunction, key: kms.IKey
    ) -> iam.Role:
        stack = cdk.Stack.of(self)
        role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=SAGEMAKER,
            description=f"Drift pipeline of {algorithm}",
        )
        jobs = stack.format_arn(
            service="sagemaker", resource="processing-job", resource_name="pipelines-*"
        )
        policy = iam.Policy(
            self,
            "ExecutionPolicy",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    sid="RunDriftChecks",
                    actions=[
                        "sagemaker:CreateProcessingJob",
                        "sagemaker:DescribeProcessingJob",
                        "sagemaker:StopProcessingJob",
                        "sagemaker:AddTags",
                    ],
                    resources=[jobs],
                ),
                iam.PolicyStatement(
                    sid="PassJobRole",
                    actions=["iam:PassRole"],
                    resources=[job_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
                ),
                # Lambda steps invoke the function with the pipeline's role.
                iam.PolicyStatement(
                    sid="RunLambdaSteps",
                    actions=["lambda:InvokeFunction"],
                    resources=[function.function_arn],
                ),
                *use_stage_key(key),
            ],
        )
        acknowledge_wildcard_resources(
            policy,
            [jobs],
            "SageMaker Pipelines generates job names at run time; they all start with "
            "pipelines-, which the policy requires.",
        )
        self._pipeline_policy = policy
        return role
