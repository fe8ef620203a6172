"""Kinesis → Lambda → Random Cut Forest endpoint, and where anomalies go."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.dead_letters import dead_letter_queue
from infra.constructs.endpoint import endpoint_metric
from infra.constructs.network import RETENTION_DAYS
from infra.nag import acknowledge
from infra.names import physical_name
from infra.plan.streaming import StreamingPlan
from lambdas.anomaly_scorer import environment as names

LAMBDAS = Path(__file__).resolve().parents[2] / "lambdas"
# AWS's Powertools layer of the version the scorer is tested with (the locked dev
# dependency; tests/test_streaming.py checks they match).
POWERTOOLS_VERSION = "3.37.0"
POWERTOOLS_LAYER = "/aws/service/powertools/python/arm64/python3.14/{version}"


class AnomalyStream(Construct):
    """Scores every record of a Kinesis data stream with the stage's RCF endpoint.

    The Lambda (Python 3.14, arm64, in the private subnets, Powertools from AWS's
    layer resolved at deploy time) packs records into few InvokeEndpoint calls and
    publishes anomalies to an EventBridge bus or a second stream. Its event source
    mapping bounds retries and record age, bisects failing batches and reports
    per-record failures; records it cannot parse, and batches Lambda gives up on,
    land in a KMS-encrypted failure queue. Alarms: iterator age, failure queue depth,
    Lambda errors and throttles, endpoint 5XX.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        plan: StreamingPlan,
        endpoint_name: str,
        data_plane: DataPlane,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        key = data_plane.key
        self.stream = kinesis.Stream(
            self,
            "Records",
            stream_mode=kinesis.StreamMode.PROVISIONED
            if plan.stream_mode == "provisioned"
            else kinesis.StreamMode.ON_DEMAND,
            shard_count=plan.shards,
            retention_period=cdk.Duration.hours(plan.retention_hours),
            encryption=kinesis.StreamEncryption.KMS,
            encryption_key=key,
        )
        acknowledge(
            self.stream,
            "AwsSolutions::AwsSolutions-KDS3",
            "Encrypted with the stage's customer-managed key (rotation, service-scoped key "
            "policy) rather than the AWS-managed aws/kinesis key, by design.",
        )
        self.failures = dead_letter_queue(
            self,
            "Failures",
            key=key,
            role="This queue is the failure destination of the scorer: unparseable records "
            "and batches Lambda gave up on",
        )

        if plan.anomalies == "eventbridge":
            self.bus: events.EventBus | None = events.EventBus(
                self, "Anomalies", event_bus_name=physical_name(prefix, None, "anomalies")
            )
            self.anomaly_stream: kinesis.Stream | None = None
            target = self.bus.event_bus_name
        else:
            self.bus = None
            self.anomaly_stream = kinesis.Stream(
                self,
                "AnomalyRecords",
                stream_mode=kinesis.StreamMode.ON_DEMAND,
                encryption=kinesis.StreamEncryption.KMS,
                encryption_key=key,
            )
            target = self.anomaly_stream.stream_name

        self.function = self._function(
            prefix, plan, endpoint_name, data_plane, target, log_retention_days
        )
        self.function.add_event_source(
            sources.KinesisEventSource(
                self.stream,
                starting_position=lambda_.StartingPosition[plan.starting_position],
                batch_size=plan.batch_size,
                max_batching_window=cdk.Duration.seconds(plan.batching_window_seconds),
                parallelization_factor=plan.parallelization_factor,
                bisect_batch_on_error=True,
                # Bounded, unlike AWS's defaults: a poison record must not stall a shard.
                retry_attempts=plan.retry_attempts,
                max_record_age=cdk.Duration.seconds(plan.max_record_age_seconds),
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(self.failures),
            )
        )
        self._alarms(endpoint_name, data_plane)
        self.acknowledge_grants()

    def _function(
        self,
        prefix: str,
        plan: StreamingPlan,
        endpoint_name: str,
        data_plane: DataPlane,
        target: str,
        log_retention_days: int,
    ) -> lambda_.Function:
        stack = cdk.Stack.of(self)
        log_group = logs.LogGroup(
            self,
            "ScorerLogs",
            encryption_key=data_plane.key,
            retention=RETENTION_DAYS[log_retention_days],
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        role = iam.Role(
            self,
            "ScorerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="The stream scorer: invoke the RCF endpoint, publish results",
        )
        endpoint_arn = stack.format_arn(
            service="sagemaker", resource="endpoint", resource_name=endpoint_name
        )
        role.add_to_policy(
            iam.PolicyStatement(actions=["sagemaker:InvokeEndpoint"], resources=[endpoint_arn])
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        )
        runtime_policy = iam.Policy(
            self,
            "ScorerRuntime",
            roles=[role],
            statements=[
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
            runtime_policy,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "Lambda's VPC network-interface calls accept no resource ARN.",
        )
        security_group = ec2.SecurityGroup(
            self,
            "ScorerSecurityGroup",
            vpc=data_plane.vpc,
            description="Stream scorer: HTTPS to the VPC endpoints only",
            allow_all_outbound=False,
        )
        security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the VPC interface endpoints"
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
            "Scorer",
            description=f"Scores the {prefix} stream with the Random Cut Forest endpoint",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler="anomaly_scorer.app.handler",
            code=lambda_.Code.from_asset(
                str(LAMBDAS),
                # The drift pipeline's steps are a function of their own.
                exclude=["**/__pycache__", "**/*.pyc", "README.md", "drift_run"],
            ),
            layers=[powertools],
            role=role,
            memory_size=plan.memory_mb,
            timeout=cdk.Duration.seconds(plan.timeout_seconds),
            reserved_concurrent_executions=plan.reserved_concurrency,
            vpc=data_plane.vpc,
            vpc_subnets=ec2.SubnetSelection(subnets=list(data_plane.private_subnets)),
            security_groups=[security_group],
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            environment_encryption=data_plane.key,
            environment={
                names.ENDPOINT_NAME: endpoint_name,
                names.ENDPOINT_KIND: "realtime",
                names.FEATURE_FORMAT: plan.feature_format,
                names.FEATURE_FIELDS: ",".join(plan.feature_fields),
                names.FEATURE_COLUMNS: ",".join(str(c) for c in plan.feature_columns),
                # The model's score statistics, published at deploy time (README).
                names.THRESHOLD: repr(plan.threshold),
                names.ANOMALY_SINK: plan.anomalies,
                names.ANOMALY_TARGET: target,
                names.FAILURE_QUEUE_URL: self.failures.queue_url,
                "POWERTOOLS_SERVICE_NAME": "anomaly-scorer",
                "POWERTOOLS_METRICS_NAMESPACE": "SageMakerStreaming",
            },
        )
        self.failures.grant_send_messages(function)
        if self.bus is not None:
            self.bus.grant_put_events_to(function)
        if self.anomaly_stream is not None:
            self.anomaly_stream.grant_write(function)
        acknowledge(
            function,
            "Serverless::Serverless-LambdaDLQ",
            "Invoked by a Kinesis event source mapping, not asynchronously: failed batches go "
            "to the mapping's on-failure queue, which is what a DLQ would be here.",
        )
        return function

    def acknowledge_grants(self) -> None:
        """Acknowledge the wildcards CDK's own grants put in the scorer's default policy."""
        policy = self.function.role.node.try_find_child("DefaultPolicy")  # type: ignore[union-attr]
        reasons = {
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]": "X-Ray's PutTraceSegments and "
            "PutTelemetryRecords (active tracing) accept no resource ARN.",
            "AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "CDK's grants "
            "for the encrypted stream and queue, on the stage key only.",
            "AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]": "CDK's grants for the "
            "encrypted stream and queue, on the stage key only.",
        }
        for finding, reason in reasons.items():
            acknowledge(policy, finding, reason)

    def _alarms(self, endpoint_name: str, data_plane: DataPlane) -> None:
        five_minutes = cdk.Duration.minutes(5)
        watched = {
            # Records waiting longer than a minute: the scorer falls behind the stream.
            "IteratorAge": (
                self.function.metric("IteratorAge", statistic="Maximum", period=five_minutes),
                60_000,
            ),
            "ParkedRecords": (
                self.failures.metric_approximate_number_of_messages_visible(period=five_minutes),
                1,
            ),
            "ScorerErrors": (self.function.metric_errors(period=five_minutes), 1),
            "ScorerThrottles": (self.function.metric_throttles(period=five_minutes), 1),
            "Endpoint5xx": (endpoint_metric(endpoint_name, "Invocation5XXErrors", "Sum"), 1),
        }
        self.alarms = []
        for name, (metric, threshold) in watched.items():
            alarm = cloudwatch.Alarm(
                self,
                f"{name}Alarm",
                metric=metric,
                threshold=threshold,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(actions.SnsAction(data_plane.notifications))
            self.alarms.append(alarm)
