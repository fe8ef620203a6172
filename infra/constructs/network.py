"""The stage's private network: isolated subnets, VPC endpoints, flow logs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.plan.data_plane import NetworkPlan, RetentionPlan

# What training jobs, endpoints, monitors and the stream Lambda call without internet.
INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService], ...] = (
    ("SageMakerApi", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API),
    ("SageMakerRuntime", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME),
    ("EcrApi", ec2.InterfaceVpcEndpointAwsService.ECR),
    ("EcrDocker", ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER),
    ("Logs", ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS),
    ("Monitoring", ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING),
    ("Sts", ec2.InterfaceVpcEndpointAwsService.STS),
    ("Kms", ec2.InterfaceVpcEndpointAwsService.KMS),
    ("Kinesis", ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS),
)
# What the stream-scoring Lambda also calls from inside the VPC.
STREAMING_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService], ...] = (
    ("Sqs", ec2.InterfaceVpcEndpointAwsService.SQS),
    ("Events", ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE),
    ("XRay", ec2.InterfaceVpcEndpointAwsService.XRAY),
)
HTTPS = ec2.Port.tcp(443)

# CloudWatch Logs retention choices (days), as the config schema lists them.
RETENTION_DAYS = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
}


class PrivateNetwork(Construct):
    """The stage's VPC, created or imported, with the endpoints SageMaker needs.

    Created: isolated subnets in two AZs and no NAT. Imported: the VPC and subnets
    named in config, by id (no lookups at synth). Either way: an S3 gateway
    endpoint, interface endpoints (unless the imported VPC has its own) and flow
    logs to a KMS-encrypted log group.

    `workload_security_group` is for every SageMaker workload: training and
    processing jobs, endpoints and monitors. HTTPS out (private subnets route only
    to the endpoints and the S3 gateway), and all traffic among its own members for
    distributed training. (Its construct id, `TrainingSecurityGroup`, is kept: the
    logical id must not change.)
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: NetworkPlan,
        key: kms.IKey,
        retention: RetentionPlan,
        removal_policy: cdk.RemovalPolicy,
        streaming: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.vpc = self._vpc(plan)
        self.subnets = ec2.SubnetSelection(subnets=self.vpc.isolated_subnets)

        if plan.endpoints:
            self.vpc.add_gateway_endpoint(
                "S3", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[self.subnets]
            )
            self.endpoint_security_group = ec2.SecurityGroup(
                self,
                "EndpointSecurityGroup",
                vpc=self.vpc,
                description="Interface VPC endpoints: HTTPS from inside the VPC",
                allow_all_outbound=False,
            )
            # The plan's literal CIDR (not the VPC's token) so nag rules can read it.
            self.endpoint_security_group.add_ingress_rule(
                ec2.Peer.ipv4(plan.cidr), HTTPS, "HTTPS from the VPC"
            )
            for name, service in INTERFACE_ENDPOINTS + (STREAMING_ENDPOINTS if streaming else ()):
                self.vpc.add_interface_endpoint(
                    name,
                    service=service,
                    subnets=self.subnets,
                    private_dns_enabled=True,
                    security_groups=[self.endpoint_security_group],
                    open=False,  # the group above already admits HTTPS from the VPC
                )

        self.workload_security_group = ec2.SecurityGroup(
            self,
            "TrainingSecurityGroup",
            vpc=self.vpc,
            description="SageMaker training, endpoints and monitors",
            allow_all_outbound=False,
        )
        self.workload_security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), HTTPS, "HTTPS to VPC endpoints and the S3 gateway"
        )
        self.workload_security_group.connections.allow_internally(
            ec2.Port.all_traffic(), "Distributed training between job instances"
        )

        if plan.flow_logs:
            flow_log_group = logs.LogGroup(
                self,
                "FlowLogs",
                encryption_key=key,
                retention=RETENTION_DAYS[retention.logs_days],
                removal_policy=removal_policy,
            )
            ec2.FlowLog(
                self,
                "FlowLog",
                resource_type=ec2.FlowLogResourceType.from_vpc(self.vpc),
                destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_log_group),
                traffic_type=ec2.FlowLogTrafficType.ALL,
            )

    def _vpc(self, plan: NetworkPlan) -> ec2.IVpc:
        if plan.imported_vpc_id is None:
            return ec2.Vpc(
                self,
                "Vpc",
                ip_addresses=ec2.IpAddresses.cidr(plan.cidr),
                max_azs=2,
                nat_gateways=0,
                subnet_configuration=[
                    ec2.SubnetConfiguration(
                        name="Private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=20
                    )
                ],
                restrict_default_security_group=True,
            )
        route_tables = [s.route_table_id for s in plan.subnets]
        return ec2.Vpc.from_vpc_attributes(
            self,
            "Vpc",
            vpc_id=plan.imported_vpc_id,
            vpc_cidr_block=plan.cidr,
            availability_zones=[s.availability_zone for s in plan.subnets],
            isolated_subnet_ids=[s.id for s in plan.subnets],
            isolated_subnet_route_table_ids=route_tables if all(route_tables) else None,
        )

    def subnet(self, subnet_id: str | None) -> ec2.ISubnet:
        """The subnet with `subnet_id`, or the first one."""
        subnets = self.vpc.isolated_subnets
        if subnet_id is None:
            return subnets[0]
        return next(s for s in subnets if s.subnet_id == subnet_id)
