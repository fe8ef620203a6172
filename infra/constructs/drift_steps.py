"""The drift pipeline's Lambda steps (engine drift-checks): one function per algorithm."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.catalog import drift as facts
from infra.constructs.data_plane import DataPlane
from infra.constructs.network import RETENTION_DAYS
from infra.constructs.sagemaker_iam import use_stage_key
from infra.constructs.streaming import LAMBDAS, POWERTOOLS_LAYER, POWERTOOLS_VERSION
from infra.nag import acknowledge
from lambdas.drift_run import environment as names


def drift_steps(
    scope: Construct, algorithm: str, data_plane: DataPlane, log_retention_days: int
) -> lambda_.Function:
    """The Lambda function behind the drift pipeline's Window and Publish steps
    (`lambdas/drift_run`): Python 3.14 on arm64 in the private subnets, Powertools from
    AWS's layer, the algorithm's monitoring S3 access, PutMetricData into the drift
    namespace only."""
    key = data_plane.key
    log_group = logs.LogGroup(
        scope,
        "StepLogs",
        encryption_key=key,
        retention=RETENTION_DAYS[log_retention_days],
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    role = iam.Role(
        scope,
        "StepRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Drift pipeline steps of {algorithm}: list a window, publish metrics",
    )
    # Lists capture/ and monitoring/, writes the run's inputs, reads metrics.json.
    role.add_managed_policy(data_plane.drift_step_access[algorithm])
    policy = iam.Policy(
        scope,
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
        scope,
        "StepSecurityGroup",
        vpc=data_plane.vpc,
        description="Drift pipeline steps: HTTPS to the VPC endpoints only",
        allow_all_outbound=False,
    )
    security_group.add_egress_rule(
        ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the VPC endpoints and S3 gateway"
    )
    powertools = lambda_.LayerVersion.from_layer_version_arn(
        scope,
        "Powertools",
        ssm.StringParameter.value_for_string_parameter(
            scope, POWERTOOLS_LAYER.format(version=POWERTOOLS_VERSION)
        ),
    )
    function = lambda_.Function(
        scope,
        "Steps",
        description=f"Drift pipeline of {algorithm}: window and publish steps",
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
