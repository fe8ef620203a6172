"""An autoscaled real-time endpoint with blue/green updates and auto-rollback."""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.endpoint_model import endpoint_model
from infra.names import physical_name
from infra.plan.endpoint import MAIN_VARIANT, DeploymentPlan, EndpointPlan, VariantPlan

SAGEMAKER_NAMESPACE = "AWS/SageMaker"
ENDPOINT_NAMESPACE = "/aws/sagemaker/Endpoints"


def realtime_endpoint_log_group_names(prefix: str, serves: str, digest: str) -> str:
    """The real-time endpoint's log group name, as an IAM pattern over its digest when
    the name is not cut: an instance-type change (a new digest) then keeps the role's
    permissions as they are."""
    base = physical_name(prefix, serves, "rt")
    exact = realtime_endpoint_name(prefix, serves, digest)
    return f"{base}-*" if exact == f"{base}-{digest}" else exact


def realtime_endpoint_name(prefix: str, serves: str, digest: str) -> str:
    """The real-time endpoint's name, from the plan (the stream scorer names it too)."""
    return physical_name(prefix, serves, f"rt-{digest}")


def endpoint_metric(
    endpoint_name: str,
    name: str,
    statistic: str,
    namespace: str = SAGEMAKER_NAMESPACE,
    *,
    endpoint_config_name: str | None = None,
) -> cloudwatch.Metric:
    """One of the main variant's metrics; with `endpoint_config_name`, only the fleet of
    that endpoint config (during a blue/green update, the new one)."""
    dimensions = {"EndpointName": endpoint_name}
    if endpoint_config_name is not None:
        dimensions["EndpointConfigName"] = endpoint_config_name
    return cloudwatch.Metric(
        namespace=namespace,
        metric_name=name,
        dimensions_map={**dimensions, "VariantName": MAIN_VARIANT},
        statistic=statistic,
        period=cdk.Duration.minutes(1),
    )


def rollback_alarms(
    scope: Construct,
    *,
    name: str,
    deployment: DeploymentPlan,
    metric: Callable[..., cloudwatch.Metric],
) -> list[cloudwatch.Alarm]:
    """The alarms that roll a blue/green update back: 5XX errors, and the new fleet's
    model latency (its endpoint config's own dimension, facts §14). Asynchronous
    endpoints publish both, as real-time ones do (DG:async-inference-monitor, "Common
    endpoint metrics"). `name`: the alarms' name prefix."""
    errors = cloudwatch.Alarm(
        scope,
        "Rollback5xx",
        alarm_name=f"{name}-5xx",
        alarm_description="Roll back an endpoint update that raises 5XX errors",
        metric=metric("Invocation5XXErrors", "Sum"),
        threshold=deployment.rollback_5xx_errors,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluation_periods=1,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    latency = cloudwatch.Alarm(
        scope,
        "RollbackLatency",
        alarm_name=f"{name}-latency",
        alarm_description="Roll back an endpoint update that slows the model down",
        metric=metric("ModelLatency", "Average", this_config_only=True),
        # ModelLatency is reported in microseconds.
        threshold=deployment.rollback_model_latency_ms * 1000,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluation_periods=2,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    return [errors, latency]


def updated_blue_green(
    scope: Construct,
    *,
    alarm_name: str,
    endpoint_name: str,
    config: sagemaker.CfnEndpointConfig,
    deployment: DeploymentPlan,
    metric: Callable[..., cloudwatch.Metric],
) -> tuple[sagemaker.CfnEndpoint, list[cloudwatch.Alarm]]:
    """The endpoint on `config`, updated blue/green and rolled back by its alarms,
    which exist before it (an update reads them from its first step)."""
    alarms = rollback_alarms(scope, name=alarm_name, deployment=deployment, metric=metric)
    endpoint = sagemaker.CfnEndpoint(
        scope,
        "Endpoint",
        endpoint_name=endpoint_name,
        endpoint_config_name=config.attr_endpoint_config_name,
        retain_all_variant_properties=True,
        deployment_config=blue_green(deployment, alarms),
    )
    for alarm in alarms:
        endpoint.node.add_dependency(alarm)
    return endpoint, alarms


def blue_green(
    deployment: DeploymentPlan, alarms: list[cloudwatch.Alarm]
) -> sagemaker.CfnEndpoint.DeploymentConfigProperty:
    """Blue/green with canary or linear traffic shifting and baking, rolled back by `alarms`."""
    step = None
    if deployment.step_percent is not None:
        step = sagemaker.CfnEndpoint.CapacitySizeProperty(
            type="CAPACITY_PERCENT", value=deployment.step_percent
        )
    return sagemaker.CfnEndpoint.DeploymentConfigProperty(
        blue_green_update_policy=sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty(
            traffic_routing_configuration=sagemaker.CfnEndpoint.TrafficRoutingConfigProperty(
                type=deployment.traffic,
                wait_interval_in_seconds=deployment.baking_seconds,
                canary_size=step if deployment.traffic == "CANARY" else None,
                linear_step_size=step if deployment.traffic == "LINEAR" else None,
            ),
            termination_wait_in_seconds=deployment.termination_wait_seconds,
            maximum_execution_timeout_in_seconds=deployment.max_execution_seconds,
        ),
        auto_rollback_configuration=sagemaker.CfnEndpoint.AutoRollbackConfigProperty(
            alarms=[sagemaker.CfnEndpoint.AlarmProperty(alarm_name=a.alarm_name) for a in alarms]
        ),
    )


class RealtimeEndpoint(Construct):
    """The algorithm's real-time endpoint.

    - Models run in the stage's private subnets with network isolation.
    - The endpoint config carries the main variant (`AllTraffic`), optional A/B
      variants and a shadow; the storage volume uses the stage key unless an
      instance type has local storage (the API refuses a key there).
    - Updates are blue/green with canary or linear traffic shifting and a baking
      period, rolled back by the 5XX and model-latency alarms created here;
      `RetainAllVariantProperties` keeps the autoscaled instance count.
    - The endpoint name carries a digest of the variants' instance types. SageMaker
      cannot change the instance type of a variant registered for autoscaling, and
      CloudFormation cannot deregister it mid-update; a changed type therefore means
      a new endpoint (and scalable target), created before the old one is deleted.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        serves: str,
        endpoint: EndpointPlan,
        data_plane: DataPlane,
        model_role_arn: str,
        data_capture: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.endpoint_name = realtime_endpoint_name(prefix, serves, endpoint.name_digest)
        vpc = sagemaker.CfnModel.VpcConfigProperty(
            security_group_ids=[data_plane.workload_security_group.security_group_id],
            subnets=[s.subnet_id for s in data_plane.private_subnets],
        )

        def model(variant: VariantPlan) -> sagemaker.CfnModel:
            return endpoint_model(
                self,
                f"Model{variant.name}",
                serves=serves,
                image=endpoint.image,
                source=variant.source,
                processor=variant.processor,
                pipeline=endpoint.pipeline,
                model_role_arn=model_role_arn,
                vpc=vpc,
            )

        def production_variant(
            variant: VariantPlan,
        ) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
            return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name=variant.name,
                model_name=model(variant).attr_model_name,
                instance_type=variant.instance_type,
                initial_instance_count=variant.initial_count,
                initial_variant_weight=variant.weight,
            )

        self.config = sagemaker.CfnEndpointConfig(
            self,
            "Config",
            production_variants=[production_variant(v) for v in endpoint.variants],
            shadow_production_variants=[production_variant(endpoint.shadow)]
            if endpoint.shadow
            else None,
            # Local NVMe storage is encrypted by the instance; the API refuses a key.
            kms_key_id=data_plane.key.key_arn if endpoint.encrypt_volume else None,
            data_capture_config=data_capture,
        )

        self.endpoint, self.alarms = updated_blue_green(
            self,
            alarm_name=physical_name(prefix, serves, f"rt-{endpoint.name_digest}", max_length=249),
            endpoint_name=self.endpoint_name,
            config=self.config,
            deployment=endpoint.deployment,
            metric=self.metric,
        )
        self._autoscaling(endpoint)

    def metric(
        self,
        name: str,
        statistic: str,
        namespace: str = SAGEMAKER_NAMESPACE,
        *,
        this_config_only: bool = False,
    ) -> cloudwatch.Metric:
        """One of the main variant's metrics; with `this_config_only`, only the fleet of
        this endpoint config (during a blue/green update, the new one)."""
        config = self.config.attr_endpoint_config_name if this_config_only else None
        return endpoint_metric(
            self.endpoint_name, name, statistic, namespace, endpoint_config_name=config
        )

    def _autoscaling(self, endpoint: EndpointPlan) -> None:
        scaling = endpoint.scaling
        # L1 without RoleARN: Application Auto Scaling uses its service-linked role.
        self.scalable_target = autoscaling.CfnScalableTarget(
            self,
            "ScalableTarget",
            service_namespace="sagemaker",
            resource_id=f"endpoint/{self.endpoint_name}/variant/{MAIN_VARIANT}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=scaling.min_instances,
            max_capacity=scaling.max_instances,
            # Off-hours bounds: Application Auto Scaling applies each from its cron on.
            scheduled_actions=[
                autoscaling.CfnScalableTarget.ScheduledActionProperty(
                    scheduled_action_name=action.name,
                    schedule=action.cron,
                    timezone=action.timezone,
                    scalable_target_action=autoscaling.CfnScalableTarget.ScalableTargetActionProperty(
                        min_capacity=action.min_instances, max_capacity=action.max_instances
                    ),
                )
                for action in scaling.schedule
            ]
            or None,
        )
        # Register only once the endpoint exists; on replacement the new target is
        # created with the new endpoint and the old one is removed with the old.
        self.scalable_target.node.add_dependency(self.endpoint)
        policy = autoscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty
        autoscaling.CfnScalingPolicy(
            self,
            "InvocationsPolicy",
            policy_name="invocations-per-instance",
            policy_type="TargetTrackingScaling",
            scaling_target_id=self.scalable_target.ref,
            target_tracking_scaling_policy_configuration=policy(
                target_value=scaling.target_invocations_per_instance,
                predefined_metric_specification=autoscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type="SageMakerVariantInvocationsPerInstance"
                ),
                scale_in_cooldown=scaling.scale_in_cooldown_seconds,
                scale_out_cooldown=scaling.scale_out_cooldown_seconds,
            ),
        )
        if scaling.utilization_metric is not None:
            autoscaling.CfnScalingPolicy(
                self,
                "UtilizationPolicy",
                policy_name=scaling.utilization_metric.lower(),
                policy_type="TargetTrackingScaling",
                scaling_target_id=self.scalable_target.ref,
                target_tracking_scaling_policy_configuration=policy(
                    target_value=scaling.utilization_target_percent,
                    customized_metric_specification=autoscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                        metric_name=scaling.utilization_metric,
                        namespace=ENDPOINT_NAMESPACE,
                        statistic="Average",
                        dimensions=[
                            autoscaling.CfnScalingPolicy.MetricDimensionProperty(
                                name="EndpointName", value=self.endpoint_name
                            ),
                            autoscaling.CfnScalingPolicy.MetricDimensionProperty(
                                name="VariantName", value=MAIN_VARIANT
                            ),
                        ],
                    ),
                    scale_in_cooldown=scaling.scale_in_cooldown_seconds,
                    scale_out_cooldown=scaling.scale_out_cooldown_seconds,
                ),
            )
