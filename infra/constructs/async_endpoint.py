"""An asynchronous endpoint: queued requests from S3, results in S3, scaling to zero."""

from __future__ import annotations

from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.endpoint import SAGEMAKER_NAMESPACE, endpoint_metric, updated_blue_green
from infra.constructs.endpoint_model import endpoint_model
from infra.names import physical_name
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import MAIN_VARIANT
from infra.prefixes import ArtifactsPrefix, Purpose

# Application Auto Scaling for asynchronous endpoints (DG:async-inference-autoscale):
# target tracking on the queue per instance, and, to leave zero instances (where no
# instance reports a backlog per instance), a step policy fired by an alarm on
# HasBacklogWithoutCapacity. Both metrics: namespace AWS/SageMaker, dimension EndpointName.
BACKLOG_PER_INSTANCE = "ApproximateBacklogSizePerInstance"
BACKLOG_WITHOUT_CAPACITY = "HasBacklogWithoutCapacity"


def async_endpoint_name(prefix: str, serves: str, digest: str) -> str:
    return physical_name(prefix, serves, f"async-{digest}")


def async_endpoint_log_group_names(prefix: str, serves: str, digest: str) -> str:
    """Its log group, as a pattern over the digest unless the name is cut (as real-time)."""
    base = physical_name(prefix, serves, "async")
    exact = async_endpoint_name(prefix, serves, digest)
    return f"{base}-*" if exact == f"{base}-{digest}" else exact


def async_input_prefix(serves: str) -> ArtifactsPrefix:
    """Where callers upload request payloads (the model role reads them: `hosting_access`)."""
    return ArtifactsPrefix(Purpose.ASYNC, serves, ("input",))


class AsyncEndpoint(Construct):
    """The algorithm's asynchronous endpoint.

    - The model is the real-time endpoint's (same source, same pipeline), in the
      stage's private subnets with network isolation (`endpoint_model`).
    - `AsyncInferenceConfig`: results under `async/<algorithm>/output/`, failures
      under `async/<algorithm>/failures/` of the artifacts bucket, encrypted with the
      stage key; success and error notifications on two SNS topics encrypted with it.
    - Blue/green updates and rollback alarms as the real-time endpoint has.
    - No data capture: every request and response is in S3 already (its input and
      output prefixes), and Model Monitor here watches the real-time endpoint.
    - Autoscaling on the backlog; with `min_instances: 0` it scales to zero and a
      step policy on HasBacklogWithoutCapacity brings the first instance back.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        serves: str,
        plan: AsyncPlan,
        data_plane: DataPlane,
        model_role_arn: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.endpoint_name = async_endpoint_name(prefix, serves, plan.name_digest)
        key = data_plane.key
        topics = {}
        for outcome in ("Success", "Error"):
            topics[outcome] = sns.Topic(
                self,
                f"{outcome}Topic",
                display_name=f"SageMaker asynchronous {outcome.lower()}, {prefix} {serves}",
                master_key=key,
                enforce_ssl=True,
            )
        self.success_topic, self.error_topic = topics["Success"], topics["Error"]
        bucket = data_plane.artifacts_bucket.bucket_name
        self.input_prefix = async_input_prefix(serves)
        self.written_prefixes = (plan.output, plan.failures)
        self.input_uri = self.input_prefix.uri(bucket)
        self.output_uri, self.failure_uri = plan.output.uri(bucket), plan.failures.uri(bucket)
        model = endpoint_model(
            self,
            "Model",
            serves=serves,
            image=plan.image,
            source=plan.source,
            processor=plan.processor,
            pipeline=plan.pipeline,
            model_role_arn=model_role_arn,
            vpc=sagemaker.CfnModel.VpcConfigProperty(
                security_group_ids=[data_plane.workload_security_group.security_group_id],
                subnets=[s.subnet_id for s in data_plane.private_subnets],
            ),
        )
        client = None
        if plan.max_concurrent_invocations_per_instance is not None:
            client = sagemaker.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                max_concurrent_invocations_per_instance=plan.max_concurrent_invocations_per_instance
            )
        self.config = sagemaker.CfnEndpointConfig(
            self,
            "Config",
            production_variants=[
                sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name=MAIN_VARIANT,
                    model_name=model.attr_model_name,
                    instance_type=plan.instance_type,
                    initial_instance_count=plan.initial_instances,
                    initial_variant_weight=1.0,
                )
            ],
            kms_key_id=key.key_arn if plan.encrypt_volume else None,
            async_inference_config=sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
                output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                    s3_output_path=self.output_uri,
                    s3_failure_path=self.failure_uri,
                    kms_key_id=key.key_arn,
                    notification_config=sagemaker.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                        success_topic=self.success_topic.topic_arn,
                        error_topic=self.error_topic.topic_arn,
                    ),
                ),
                client_config=client,
            ),
        )
        self.endpoint, self.alarms = updated_blue_green(
            self,
            alarm_name=physical_name(prefix, serves, f"async-{plan.name_digest}", max_length=249),
            endpoint_name=self.endpoint_name,
            config=self.config,
            deployment=plan.deployment,
            metric=self.metric,
        )
        self._autoscaling(plan)

    def metric(
        self, name: str, statistic: str, *, this_config_only: bool = False
    ) -> cloudwatch.Metric:
        """One of the variant's metrics (only this config's fleet with `this_config_only`)."""
        config = self.config.attr_endpoint_config_name if this_config_only else None
        return endpoint_metric(
            self.endpoint_name, name, statistic, SAGEMAKER_NAMESPACE, endpoint_config_name=config
        )

    def _autoscaling(self, plan: AsyncPlan) -> None:
        scaling = plan.scaling
        # L1 without RoleARN: Application Auto Scaling uses its service-linked role.
        self.scalable_target = autoscaling.CfnScalableTarget(
            self,
            "ScalableTarget",
            service_namespace="sagemaker",
            resource_id=f"endpoint/{self.endpoint_name}/variant/{MAIN_VARIANT}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=scaling.min_instances,
            max_capacity=scaling.max_instances,
        )
        self.scalable_target.node.add_dependency(self.endpoint)
        by_endpoint = [
            autoscaling.CfnScalingPolicy.MetricDimensionProperty(
                name="EndpointName", value=self.endpoint_name
            )
        ]
        autoscaling.CfnScalingPolicy(
            self,
            "BacklogPolicy",
            policy_name="backlog-per-instance",
            policy_type="TargetTrackingScaling",
            scaling_target_id=self.scalable_target.ref,
            target_tracking_scaling_policy_configuration=autoscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=scaling.target_backlog_per_instance,
                customized_metric_specification=autoscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                    metric_name=BACKLOG_PER_INSTANCE,
                    namespace=SAGEMAKER_NAMESPACE,
                    statistic="Average",
                    dimensions=by_endpoint,
                ),
                scale_in_cooldown=scaling.scale_in_cooldown_seconds,
                scale_out_cooldown=scaling.scale_out_cooldown_seconds,
            ),
        )
        if not scaling.scales_to_zero:
            return
        # Out of zero: one instance as soon as requests wait with none to take them
        # (DG:async-inference-autoscale, "scales up from zero for new requests").
        self.scale_out_from_zero = autoscaling.CfnScalingPolicy(
            self,
            "ScaleOutFromZero",
            policy_name="has-backlog-without-capacity",
            policy_type="StepScaling",
            scaling_target_id=self.scalable_target.ref,
            step_scaling_policy_configuration=autoscaling.CfnScalingPolicy.StepScalingPolicyConfigurationProperty(
                adjustment_type="ChangeInCapacity",
                metric_aggregation_type="Average",
                cooldown=scaling.scale_out_cooldown_seconds,
                step_adjustments=[
                    autoscaling.CfnScalingPolicy.StepAdjustmentProperty(
                        metric_interval_lower_bound=0, scaling_adjustment=1
                    )
                ],
            ),
        )
        cloudwatch.CfnAlarm(
            self,
            "BacklogWithoutCapacity",
            alarm_name=physical_name(
                self.endpoint_name, None, "backlog-without-capacity", max_length=255
            ),
            alarm_description="Requests wait and no instance runs: scale out from zero",
            namespace=SAGEMAKER_NAMESPACE,
            metric_name=BACKLOG_WITHOUT_CAPACITY,
            dimensions=[
                cloudwatch.CfnAlarm.DimensionProperty(name="EndpointName", value=self.endpoint_name)
            ],
            statistic="Average",
            period=60,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="missing",
            alarm_actions=[self.scale_out_from_zero.ref],
        )
