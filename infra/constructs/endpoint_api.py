"""An API Gateway REST API with IAM auth in front of one endpoint."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constructs.network import RETENTION_DAYS
from infra.nag import acknowledge
from infra.names import physical_name
from infra.plan.endpoint import ApiPlan

TEXT_TYPES = ("text/csv", "application/json", "application/jsonlines", "text/plain")


class ApiGatewayAccount(Construct):
    """The account-wide role API Gateway writes logs with (one per account and region)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
                )
            ],
        )
        acknowledge(
            role,
            "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
            "service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "AWS's service-role policy for API Gateway logging, kept current by AWS; it "
            "grants log writes only.",
        )
        account = apigateway.CfnAccount(self, "Account", cloud_watch_role_arn=role.role_arn)
        account.node.add_dependency(role)


class EndpointApi(Construct):
    """POST /invocations → SageMaker Runtime InvokeEndpoint, signed with SigV4 (IAM).

    No Lambda in between: an AWS service integration assumes a role that may invoke
    this endpoint only. The stage throttles, logs access as JSON to a KMS-encrypted
    log group, traces with X-Ray, and the method requires a Content-Type header.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        algorithm: str,
        endpoint_name: str,
        plan: ApiPlan,
        key: kms.IKey,
        retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        invoke = iam.Role(
            self,
            "InvokeRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description=f"API Gateway: invoke {endpoint_name}",
        )
        invoke.add_to_policy(
            iam.PolicyStatement(
                actions=["sagemaker:InvokeEndpoint"],
                resources=[
                    stack.format_arn(
                        service="sagemaker", resource="endpoint", resource_name=endpoint_name
                    )
                ],
            )
        )
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            encryption_key=key,
            retention=RETENTION_DAYS[retention_days],
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.api = apigateway.RestApi(
            self,
            "Api",
            rest_api_name=physical_name(prefix, algorithm, "api", max_length=255),
            description=f"Invoke {endpoint_name} (IAM auth)",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            binary_media_types=[t for t in plan.request_content_types if t not in TEXT_TYPES],
            cloud_watch_role=False,  # the stage's ApiGatewayAccount
            deploy_options=apigateway.StageOptions(
                stage_name="v1",
                throttling_rate_limit=plan.throttle_rate_per_second,
                throttling_burst_limit=plan.throttle_burst,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                metrics_enabled=True,
                tracing_enabled=True,
                access_log_destination=apigateway.LogGroupLogDestination(access_logs),
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
        )
        integration = apigateway.AwsIntegration(
            service="runtime.sagemaker",
            path=f"endpoints/{endpoint_name}/invocations",
            integration_http_method="POST",
            options=apigateway.IntegrationOptions(
                credentials_role=invoke,
                passthrough_behavior=apigateway.PassthroughBehavior.WHEN_NO_TEMPLATES,
                request_parameters={
                    "integration.request.header.Content-Type": "method.request.header.Content-Type",
                    "integration.request.header.Accept": "method.request.header.Accept",
                },
                integration_responses=[
                    apigateway.IntegrationResponse(status_code="200"),
                    apigateway.IntegrationResponse(selection_pattern="4\\d{2}", status_code="400"),
                    apigateway.IntegrationResponse(selection_pattern="5\\d{2}", status_code="502"),
                ],
            ),
        )
        # Bodies are CSV, JSON or binary with no single schema; what is validated is the
        # required Content-Type header (body validation has no model to check against).
        validator = self.api.add_request_validator(
            "RequireContentType", validate_request_parameters=True, validate_request_body=True
        )
        method = self.api.root.add_resource("invocations").add_method(
            "POST",
            integration,
            authorization_type=apigateway.AuthorizationType.IAM,
            request_validator=validator,
            request_parameters={
                "method.request.header.Content-Type": True,
                "method.request.header.Accept": False,
            },
            method_responses=[
                apigateway.MethodResponse(status_code=code) for code in ("200", "400", "502")
            ],
        )
        acknowledge(
            method,
            "AwsSolutions::AwsSolutions-COG4",
            "Callers are other services and apps with AWS credentials: IAM (SigV4) "
            "authorization, not a Cognito user pool.",
        )
        acknowledge(
            self.api.deployment_stage,
            "AwsSolutions::AwsSolutions-APIG3",
            "IAM-authorized, throttled API for AWS principals only; unsigned requests are "
            "refused before reaching the endpoint, so no WAF web ACL is attached by default.",
        )
        self.url = self.api.url_for_path("/invocations")
