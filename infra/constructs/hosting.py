"""Everything that serves one algorithm's (or custom server's) model: role, endpoints, dashboard."""

from __future__ import annotations

from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.catalog.model import Processor
from infra.constructs.async_endpoint import AsyncEndpoint, async_endpoint_log_group_names
from infra.constructs.dashboard import EndpointDashboard
from infra.constructs.data_plane import DataPlane
from infra.constructs.endpoint import RealtimeEndpoint, realtime_endpoint_log_group_names
from infra.constructs.endpoint_api import EndpointApi
from infra.constructs.sagemaker_iam import after_role_policies
from infra.constructs.server_images import ServerImages
from infra.constructs.serverless import ServerlessEndpoint, serverless_endpoint_name
from infra.constructs.service_roles import ExternalObject, ModelRole, endpoint_log_groups
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan, HostedPlan
from infra.plan.serverless import ServerlessPlan


class AlgorithmHosting(Construct):
    """The real-time endpoint (with its dashboard) and the serverless endpoint, as planned.

    Escape hatches: `realtime` and `serverless` expose the endpoint constructs, and
    `model_role` the role both run their models as.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        plan: HostedPlan,
        data_plane: DataPlane,
        log_retention_days: int,
        image_assets: tuple[Processor, ...] = (),
        data_capture: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        endpoint = plan.endpoint if isinstance(plan.endpoint, EndpointPlan) else None
        serverless = plan.serverless if isinstance(plan.serverless, ServerlessPlan) else None
        asynchronous = plan.async_endpoint if isinstance(plan, AlgorithmPlan) else None
        async_plan = asynchronous if isinstance(asynchronous, AsyncPlan) else None
        access = plan.model_access
        repositories: tuple[ecr.IRepository, ...] = ()
        if image_assets:
            # The image assets exist before the models that name them, so the role pulls.
            images = ServerImages.of(self)
            repositories = tuple(images.asset(p).repository for p in image_assets)
        role = ModelRole(
            self,
            "ModelRole",
            algorithm=plan.name,
            key=data_plane.key,
            bucket_access=data_plane.hosting_access[plan.name],
            external_objects=tuple(ExternalObject.parse(uri) for uri in access.objects),
            image_repositories=repositories,
            shared_keys=access.shared_keys,
            log_groups=endpoint_log_groups(
                realtime_endpoint_log_group_names(prefix, plan.name, endpoint.name_digest)
                if endpoint
                else None,
                serverless_endpoint_name(prefix, plan.name) if serverless else None,
                async_endpoint_log_group_names(prefix, plan.name, async_plan.name_digest)
                if async_plan
                else None,
            ),
        )
        self.model_role = role.role
        self.outputs: dict[str, str] = {}
        self.realtime: RealtimeEndpoint | None = None
        self.api: EndpointApi | None = None
        if endpoint is not None:
            self.realtime = RealtimeEndpoint(
                self,
                "Realtime",
                prefix=prefix,
                serves=plan.name,
                endpoint=endpoint,
                data_plane=data_plane,
                model_role_arn=self.model_role.role_arn,
                data_capture=data_capture,
            )
            EndpointDashboard(
                self,
                "Dashboard",
                prefix=prefix,
                algorithm=plan.name,
                endpoint=self.realtime,
                processor=endpoint.processor,
            )
            self.outputs["RealtimeEndpointName"] = self.realtime.endpoint_name
            if endpoint.api is not None:
                self.api = EndpointApi(
                    self,
                    "Api",
                    prefix=prefix,
                    algorithm=plan.name,
                    endpoint_name=self.realtime.endpoint_name,
                    plan=endpoint.api,
                    key=data_plane.key,
                    retention_days=log_retention_days,
                )
                self.api.node.add_dependency(self.realtime.endpoint)
                self.outputs["InvocationsUrl"] = self.api.url
        self.serverless: ServerlessEndpoint | None = None
        if serverless is not None:
            self.serverless = ServerlessEndpoint(
                self,
                "Serverless",
                prefix=prefix,
                serves=plan.name,
                serverless=serverless,
                model_role_arn=self.model_role.role_arn,
                key_arn=data_plane.key.key_arn,
            )
            self.outputs["ServerlessEndpointName"] = self.serverless.endpoint_name
        self.asynchronous: AsyncEndpoint | None = None
        if async_plan is not None:
            self.asynchronous = AsyncEndpoint(
                self,
                "Async",
                prefix=prefix,
                serves=plan.name,
                plan=async_plan,
                data_plane=data_plane,
                model_role_arn=self.model_role.role_arn,
            )
            _grant_async(role.policy, self.asynchronous)
            self.outputs.update(
                AsyncEndpointName=self.asynchronous.endpoint_name,
                AsyncInputUri=self.asynchronous.input_uri,
                AsyncOutputUri=self.asynchronous.output_uri,
                AsyncFailureUri=self.asynchronous.failure_uri,
                AsyncSuccessTopicArn=self.asynchronous.success_topic.topic_arn,
                AsyncErrorTopicArn=self.asynchronous.error_topic.topic_arn,
                AsyncInvocationTimeoutSeconds=str(async_plan.invocation_timeout_seconds),
            )
        after_role_policies(
            role, [c for c in self.node.find_all() if isinstance(c, sagemaker.CfnModel)]
        )


def _grant_async(policy: iam.Policy, endpoint: AsyncEndpoint) -> None:
    """Publish the asynchronous endpoint's outcomes to its two topics (the stage key, which
    encrypts them, the role already uses; its S3 prefixes are the foundation's
    `hosting_access`)."""
    policy.add_statements(
        iam.PolicyStatement(
            sid="PublishAsyncOutcomes",
            actions=["sns:Publish"],
            resources=[endpoint.success_topic.topic_arn, endpoint.error_topic.topic_arn],
        )
    )
