"""Drift checks for one real-time endpoint (engine drift-checks): the drift image, the
Lambda steps, the monitoring pipeline, its schedule and its alarms."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.catalog import drift as facts
from infra.constructs.data_plane import DataPlane
from infra.constructs.drift_alarms import drift_alarms
from infra.constructs.network import RETENTION_DAYS
from infra.constructs.sagemaker_iam import SAGEMAKER, after_role_policies, use_stage_key
from infra.constructs.service_roles import MonitoringRole
from infra.constructs.streaming import LAMBDAS, POWERTOOLS_LAYER, POWERTOOLS_VERSION
from infra.nag import acknowledge, acknowledge_wildcard_resources
from infra.names import physical_name
from infra.pipelines.drift import DriftResources, drift_pipeline
from infra.plan import AlgorithmPlan
from infra.plan.monitoring import MonitorPlan
from lambdas.drift_run import environment as names

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
        function = self._function(plan, data_plane, log_retention_days)
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
        self.schedule = self._schedule(name, monitor, key)
        drift_alarms(
            self,
            plan=plan,
            monitor=monitor,
            pipeline_name=name,
            endpoint_name=endpoint_name,
            topic=data_plane.notifications,
            after=self.pipeline,
        )

    def _function(
        self, plan: AlgorithmPlan, data_plane: DataPlane, log_retention_days: int
    ) -> lambda_.Function:
        key = data_plane.key
        log_group = logs.LogGroup(
            self,
            "StepLogs",
            encryption_key=key,
            retention=RETENTION_DAYS[log_retention_days],
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        role = iam.Role(
            self,
            "StepRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Drift pipeline steps of {plan.name}: list a window, publish metrics",
        )
        # Lists capture/ and monitoring/, writes the run's inputs, reads metrics.json.
        role.add_managed_policy(data_plane.monitoring_access[plan.name])
        policy = iam.Policy(
            self,
            "StepPolicy",
            roles=[role],
            statements=[
                *use_stage_key(key),
                iam.PolicyStatement(
                    sid="Logs",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[log_group.log_group_arn],
                ),
                # PutMetricData has no resource type; the condition key cloudwatch:namespace
                # limits it to the project's namespace (Service Authorization Reference,
                # Amazon CloudWatch; CloudWatch UG "Using condition keys to limit access to
                # CloudWatch namespaces").
                iam.PolicyStatement(
                    sid="PublishDriftMetrics",
                    actions=["cloudwatch:PutMetricData"],
                    resources=["*"],
                    conditions={"StringEquals": {"cloudwatch:namespace": facts.NAMESPACE}},
                ),
                iam.PolicyStatement(
                    sid="VpcNetworkInterfaces",
                    actions=[
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses",
                    ],
                    resources=["*"],
                ),
            ],
        )
        acknowledge(
            policy,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "cloudwatch:PutMetricData (limited to the drift namespace by condition) and "
            "Lambda's VPC network-interface calls accept no resource ARN.",
        )
        security_group = ec2.SecurityGroup(
            self,
            "StepSecurityGroup",
            vpc=data_plane.vpc,
            description="Drift pipeline steps: HTTPS to the VPC endpoints only",
            allow_all_outbound=False,
        )
        security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the VPC endpoints and S3 gateway"
        )
        powertools = lambda_.LayerVersion.from_layer_version_arn(
            self,
            "Powertools",
            ssm.StringParameter.value_for_string_parameter(
                self, POWERTOOLS_LAYER.format(version=POWERTOOLS_VERSION)
            ),
        )
        function = lambda_.Function(
            self,
            "Steps",
            description=f"Drift pipeline of {plan.name}: window and publish steps",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler="drift_run.app.handler",
            code=lambda_.Code.from_asset(
                str(LAMBDAS),
                exclude=["*", "!drift_run", "!drift_run/*.py"],
            ),
            layers=[powertools],
            role=role,
            memory_size=256,
            timeout=cdk.Duration.minutes(5),
            vpc=data_plane.vpc,
            vpc_subnets=ec2.SubnetSelection(subnets=list(data_plane.private_subnets)),
            security_groups=[security_group],
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            environment_encryption=key,
            environment={
                names.METRICS_NAMESPACE: facts.NAMESPACE,
                "POWERTOOLS_SERVICE_NAME": "drift-run",
            },
        )
        function.node.add_dependency(policy)
        acknowledge(
            function,
            "Serverless::Serverless-LambdaDLQ",
            "Invoked synchronously by SageMaker Pipelines' Lambda steps, which fail the run "
            "(and its alarm) on an error; there is no asynchronous event to keep.",
        )
        acknowledge(
            function,
            "Serverless::Serverless-LambdaTracing",
            "Two short S3 and CloudWatch calls per run, logged as JSON; the stage's VPC has "
            "no X-Ray endpoint unless it streams.",
        )
        return function

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

    def _schedule(
        self, pipeline_name: str, monitor: MonitorPlan, key: kms.IKey
    ) -> scheduler.CfnSchedule:
        stack = cdk.Stack.of(self)
        pipeline_arn = stack.format_arn(
            service="sagemaker", resource="pipeline", resource_name=pipeline_name
        )
        role = iam.Role(
            self,
            "StarterRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
            description=f"EventBridge Scheduler: start {pipeline_name}",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["sagemaker:StartPipelineExecution"], resources=[pipeline_arn]
            )
        )
        # A schedule encrypted with a customer managed key is decrypted with its
        # execution role (EventBridge Scheduler UG, "Encryption at rest").
        role.add_to_policy(iam.PolicyStatement(actions=["kms:Decrypt"], resources=[key.key_arn]))
        schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            schedule_expression=monitor.schedule_expression,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(arn=pipeline_arn, role_arn=role.role_arn),
            kms_key_arn=key.key_arn,
            description=f"Start {pipeline_name}",
        )
        schedule.node.add_dependency(self.pipeline)
        schedule.node.add_dependency(role)
        return schedule
