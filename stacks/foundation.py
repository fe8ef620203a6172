"""The stage's foundation stack: key, buckets, network and FSx every other stack uses."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.constructs.buckets import StageBuckets
from infra.constructs.data_plane import DataPlane
from infra.constructs.drift_access import drift_access
from infra.constructs.encryption import StageKey
from infra.constructs.endpoint_api import ApiGatewayAccount
from infra.constructs.file_system import TrainingFileSystem
from infra.constructs.model_approvals import ApprovalForwarder
from infra.constructs.network import PrivateNetwork
from infra.constructs.notifications import MonitoringNotifications
from infra.plan import StagePlan
from infra.plan.async_inference import AsyncPlan
from infra.plan.data_plane import FsxPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.monitoring import MonitorPlan
from infra.plan.transform import TransformPlan
from stacks.base import StageStack


class FoundationStack(StageStack):
    """Deployed first in every stage and safe to leave running for years.

    Data, artifacts, FSx and the key are retained on deletion unless the stage is
    ephemeral.
    """

    def __init__(self, scope: Construct, construct_id: str, *, plan: StagePlan) -> None:
        super().__init__(scope, construct_id, stage=plan, purpose="shared data plane")
        removal = cdk.RemovalPolicy.DESTROY if plan.ephemeral else cdk.RemovalPolicy.RETAIN
        stage_key = StageKey(self, "Key", removal_policy=removal)
        key = stage_key.key
        buckets = StageBuckets(
            self, "Buckets", key=key, retention=plan.retention, removal_policy=removal
        )
        if plan.registry_consumers:
            registered = {a.name for a in plan.algorithms if a.model_package_group is not None}
            stage_key.share_model_artifacts(plan.registry_consumer_accounts)
            buckets.share_models(
                tuple((a, accounts) for a, accounts in plan.registry_consumers if a in registered)
            )
        network = PrivateNetwork(
            self,
            "Network",
            plan=plan.network,
            key=key,
            retention=plan.retention,
            removal_policy=removal,
            streaming=plan.streaming is not None,
        )
        file_system = None
        if isinstance(plan.fsx, FsxPlan):
            stage_key.admit_file_system_imports()
            file_system = TrainingFileSystem(
                self,
                "Fsx",
                plan=plan.fsx,
                vpc=network.vpc,
                subnet=network.subnet(plan.fsx.subnet_id),
                clients=network.workload_security_group,
                data_bucket=buckets.data,
                key=key,
                removal_policy=removal,
            )
        if any(
            isinstance(a.endpoint, EndpointPlan) and a.endpoint.api is not None for a in plan.hosted
        ):
            # API Gateway logs with one role per account and region: set it once here.
            ApiGatewayAccount(self, "ApiGatewayAccount")
        if plan.announces is not None:
            ApprovalForwarder(self, "ModelApprovals", route=plan.announces, key=key)
        notifications = MonitoringNotifications(
            self, "Notifications", prefix=plan.prefix, key=key, removal_policy=removal
        )
        outputs = {
            "DataBucketName": buckets.data.bucket_name,
            "ArtifactsBucketName": buckets.artifacts.bucket_name,
            "KeyArn": key.key_arn,
            "NotificationsTopicArn": notifications.topic.topic_arn,
        }
        if file_system is not None:
            outputs["FileSystemId"] = file_system.file_system_id
            outputs["FileSystemMountName"] = file_system.mount_name
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)
        self.data_plane = DataPlane(
            key=key,
            data_bucket=buckets.data,
            artifacts_bucket=buckets.artifacts,
            vpc=network.vpc,
            private_subnets=tuple(network.vpc.isolated_subnets),
            workload_security_group=network.workload_security_group,
            file_system=file_system,
            training_access={
                a.name: buckets.training_access(self, a.name) for a in plan.algorithms
            },
            hosting_access={
                **{
                    a.name: buckets.hosting_access(
                        self, a.name, asynchronous=isinstance(a.async_endpoint, AsyncPlan)
                    )
                    for a in plan.algorithms
                    if a.model_package_group is not None
                },
                **{
                    s.name: buckets.hosting_access(self, s.name, s.server.artifacts_of)
                    for s in plan.model_servers
                },
            },
            # Drift check jobs and Model Monitor jobs touch different prefixes.
            monitoring_access={
                a.name: drift_access(self, buckets.artifacts, a.name, job=True)
                if a.monitor.drift_checks
                else buckets.monitoring_access(self, a.name)
                for a in plan.algorithms
                if isinstance(a.monitor, MonitorPlan)
            },
            drift_step_access={
                a.name: drift_access(self, buckets.artifacts, a.name, job=False)
                for a in plan.algorithms
                if isinstance(a.monitor, MonitorPlan) and a.monitor.drift_checks
            },
            notifications=notifications.topic,
            transform_access={
                a.name: buckets.transform_access(self, a.name)
                for a in plan.algorithms
                if isinstance(a.transform, TransformPlan)
            },
        )
