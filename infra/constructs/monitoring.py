"""Model Monitor for one real-time endpoint: capture, data and model quality, alarms."""

from __future__ import annotations

import hashlib

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.images import ImageRegistry
from infra.constructs.sagemaker_iam import after_role_policies
from infra.constructs.service_roles import MonitoringRole
from infra.images import MODEL_MONITOR_ANALYZER
from infra.names import physical_name
from infra.pipelines.baseline import monitor_job
from infra.plan import AlgorithmPlan
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan, job_definition_identity
from infra.prefixes import ArtifactsPrefix, Purpose, s3_uri

ENDPOINT_INPUT = "/opt/ml/processing/input/endpoint"
REPORT_OUTPUT = "/opt/ml/processing/output"
MODEL_METRICS_NAMESPACE = "aws/sagemaker/Endpoints/model-metrics"


def data_capture(
    plan: AlgorithmPlan, monitor: MonitorPlan, data_plane: DataPlane
) -> sagemaker.CfnEndpointConfig.DataCaptureConfigProperty:
    """Capture requests and responses, as CSV/JSON (not base64), KMS-encrypted."""
    return sagemaker.CfnEndpointConfig.DataCaptureConfigProperty(
        enable_capture=True,
        initial_sampling_percentage=monitor.sampling_percent,
        destination_s3_uri=s3_uri(
            data_plane.artifacts_bucket.bucket_name, Purpose.CAPTURE, plan.name
        ).rstrip("/"),
        kms_key_id=data_plane.key.key_arn,
        capture_options=[
            sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode="Input"),
            sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode="Output"),
        ],
        capture_content_type_header=sagemaker.CfnEndpointConfig.CaptureContentTypeHeaderProperty(
            csv_content_types=["text/csv"], json_content_types=["application/json"]
        ),
    )


class EndpointMonitoring(Construct):
    """Data-quality (and, for supervised algorithms, model-quality) monitoring.

    Job definitions run the region's analyzer image in the private subnets with
    network isolation, KMS on volumes and reports, reports under
    `monitoring/<algorithm>/`. Rendered only once the plan has no `schedules` wait
    (the endpoint and the pipeline's baseline exist): the API creates a schedule
    running (botocore's CreateMonitoringSchedule and UpdateMonitoringSchedule take a
    name, a config and tags, no status), so one created early would run, and fail,
    from its first hour. Names carry the endpoint's digest: a new endpoint gets new
    schedules.
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
        digest: str,
        data_plane: DataPlane,
    ) -> None:
        super().__init__(scope, construct_id)
        role = MonitoringRole(
            self,
            "Role",
            algorithm=plan.name,
            key=data_plane.key,
            bucket_access=data_plane.monitoring_access[plan.name],
        )
        self.role = role.role
        artifacts = data_plane.artifacts_bucket.bucket_name
        baselines = s3_uri(artifacts, Purpose.BASELINES, plan.name)
        dq, mq = sagemaker.CfnDataQualityJobDefinition, sagemaker.CfnModelQualityJobDefinition
        job = monitor_job(
            monitor,
            role_arn=self.role.role_arn,
            kms_key_arn=data_plane.key.key_arn,
            security_group_ids=[data_plane.workload_security_group.security_group_id],
            subnet_ids=[s.subnet_id for s in data_plane.private_subnets],
        )
        analyzer = ImageRegistry.of(self).uri(MODEL_MONITOR_ANALYZER)

        def output(kind: str, cls: type) -> object:
            return cls.MonitoringOutputConfigProperty(
                kms_key_id=data_plane.key.key_arn,
                monitoring_outputs=[
                    cls.MonitoringOutputProperty(
                        s3_output=cls.S3OutputProperty(
                            local_path=REPORT_OUTPUT,
                            s3_uri=s3_uri(artifacts, Purpose.MONITORING, plan.name, kind),
                            s3_upload_mode="EndOfJob",
                        )
                    )
                ],
            )

        def common(cls: type) -> dict:
            cluster, network = job["ClusterConfig"], job["NetworkConfig"]
            vpc = network["VpcConfig"]
            return {
                "role_arn": job["RoleArn"],
                "stopping_condition": cls.StoppingConditionProperty(
                    max_runtime_in_seconds=job["StoppingCondition"]["MaxRuntimeInSeconds"]
                ),
                "job_resources": cls.MonitoringResourcesProperty(
                    cluster_config=cls.ClusterConfigProperty(
                        instance_count=cluster["InstanceCount"],
                        instance_type=cluster["InstanceType"],
                        volume_size_in_gb=cluster["VolumeSizeInGB"],
                        volume_kms_key_id=cluster.get("VolumeKmsKeyId"),
                    )
                ),
                "network_config": cls.NetworkConfigProperty(
                    enable_network_isolation=network["EnableNetworkIsolation"],
                    enable_inter_container_traffic_encryption=network[
                        "EnableInterContainerTrafficEncryption"
                    ],
                    vpc_config=cls.VpcConfigProperty(
                        security_group_ids=vpc["SecurityGroupIds"], subnets=vpc["Subnets"]
                    ),
                ),
            }

        # Job definitions are immutable: a changed one must be a new, newly named one.
        def definition_name(kind: str) -> str:
            content = job_definition_identity(kind, monitor, digest).encode()
            return physical_name(
                stage, plan.name, f"{kind}-{hashlib.sha256(content).hexdigest()[:8]}"
            )

        dq_name = definition_name("dq")
        data_quality = dq(
            self,
            "DataQuality",
            job_definition_name=dq_name,
            data_quality_app_specification=dq.DataQualityAppSpecificationProperty(
                image_uri=analyzer
            ),
            data_quality_baseline_config=dq.DataQualityBaselineConfigProperty(
                constraints_resource=dq.ConstraintsResourceProperty(
                    s3_uri=f"{baselines}constraints.json"
                ),
                statistics_resource=dq.StatisticsResourceProperty(
                    s3_uri=f"{baselines}statistics.json"
                ),
            ),
            data_quality_job_input=dq.DataQualityJobInputProperty(
                endpoint_input=dq.EndpointInputProperty(
                    endpoint_name=endpoint_name,
                    local_path=ENDPOINT_INPUT,
                    s3_input_mode="File",
                    s3_data_distribution_type="FullyReplicated",
                )
            ),
            data_quality_job_output_config=output("data-quality", dq),
            **common(dq),
        )
        data_quality.node.add_dependency(endpoint)
        after_role_policies(role, [data_quality])
        self.schedules = [
            self._schedule(
                "DataQualitySchedule",
                physical_name(stage, plan.name, f"dq-{digest}"),
                data_quality,
                dq_name,
                "DataQuality",
                monitor,
                endpoint_name,
            )
        ]
        if isinstance(monitor.model_quality, ModelQualityPlan):
            quality = monitor.model_quality
            ground_truth = (
                quality.ground_truth.uri(artifacts)
                if isinstance(quality.ground_truth, ArtifactsPrefix)
                else quality.ground_truth
            )
            mq_name = definition_name("mq")
            model_quality = mq(
                self,
                "ModelQuality",
                job_definition_name=mq_name,
                model_quality_app_specification=mq.ModelQualityAppSpecificationProperty(
                    image_uri=analyzer, problem_type=quality.problem_type.value
                ),
                model_quality_job_input=mq.ModelQualityJobInputProperty(
                    endpoint_input=mq.EndpointInputProperty(
                        endpoint_name=endpoint_name,
                        local_path=ENDPOINT_INPUT,
                        s3_input_mode="File",
                        s3_data_distribution_type="FullyReplicated",
                        inference_attribute=quality.inference_attribute,
                        probability_attribute=quality.probability_attribute,
                        probability_threshold_attribute=quality.probability_threshold,
                    ),
                    ground_truth_s3_input=mq.MonitoringGroundTruthS3InputProperty(
                        s3_uri=ground_truth
                    ),
                ),
                model_quality_job_output_config=output("model-quality", mq),
                **common(mq),
            )
            model_quality.node.add_dependency(endpoint)
            after_role_policies(role, [model_quality])
            schedule_name = physical_name(stage, plan.name, f"mq-{digest}")
            self.schedules.append(
                self._schedule(
                    "ModelQualitySchedule",
                    schedule_name,
                    model_quality,
                    mq_name,
                    "ModelQuality",
                    monitor,
                    endpoint_name,
                )
            )
            if quality.alarm is not None:
                self._model_quality_alarm(quality, endpoint_name, schedule_name, data_plane)

    def _schedule(
        self,
        construct_id: str,
        name: str,
        definition: cdk.CfnResource,
        job_definition: str,
        kind: str,
        monitor: MonitorPlan,
        endpoint_name: str,
    ) -> sagemaker.CfnMonitoringSchedule:
        schedule = sagemaker.CfnMonitoringSchedule(
            self,
            construct_id,
            monitoring_schedule_name=name,
            endpoint_name=endpoint_name,
            monitoring_schedule_config=sagemaker.CfnMonitoringSchedule.MonitoringScheduleConfigProperty(
                monitoring_job_definition_name=job_definition,
                monitoring_type=kind,
                schedule_config=sagemaker.CfnMonitoringSchedule.ScheduleConfigProperty(
                    schedule_expression=monitor.schedule_expression
                ),
            ),
        )
        schedule.node.add_dependency(definition)
        return schedule

    def _model_quality_alarm(
        self,
        quality: ModelQualityPlan,
        endpoint_name: str,
        schedule_name: str,
        data_plane: DataPlane,
    ) -> None:
        assert quality.alarm is not None
        planned = quality.alarm
        metric, threshold = planned.metric, planned.threshold
        direction = "below" if planned.higher_is_better else "above"
        alarm = cloudwatch.Alarm(
            self,
            "ModelQualityAlarm",
            alarm_description=f"Model quality: {metric} {direction} {threshold}",
            metric=cloudwatch.Metric(
                namespace=MODEL_METRICS_NAMESPACE,
                metric_name=metric,
                dimensions_map={"Endpoint": endpoint_name, "MonitoringSchedule": schedule_name},
                statistic="Average",
                period=cdk.Duration.hours(1),
            ),
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
            if planned.higher_is_better
            else cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(data_plane.notifications))
