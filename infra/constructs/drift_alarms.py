"""The drift checks' alarms (engine drift-checks), to the stage topic."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.catalog import drift as facts
from infra.plan import AlgorithmPlan
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan

# SageMaker Pipelines' own metrics (DG "Monitor SageMaker Pipelines": SageMaker
# pipelines metrics, namespace AWS/Sagemaker/ModelBuildingPipeline, dimension
# PipelineName; the same namespace and dimension in YACE's service table).
PIPELINE_METRICS_NAMESPACE = "AWS/Sagemaker/ModelBuildingPipeline"


def drift_alarms(
    scope: Construct,
    *,
    plan: AlgorithmPlan,
    monitor: MonitorPlan,
    pipeline_name: str,
    endpoint_name: str,
    topic: sns.ITopic,
    after: cdk.CfnResource,
) -> list[cloudwatch.Alarm]:
    """The drift pipeline's alarms, each to `topic`, each created after `after` (the
        pipeline): drifted-feature share, no data for N runs (missing data breaching), a
    failed run, and the model-quality metric where the plan has an alarm on it."""
    drift = monitor.drift
    assert drift is not None
    period = cdk.Duration.seconds(drift.period_seconds)
    dimensions = {
        facts.ENDPOINT_DIMENSION: endpoint_name,
        facts.ALGORITHM_DIMENSION: plan.name,
    }

    def metric(name: str, statistic: str) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace=facts.NAMESPACE,
            metric_name=name,
            dimensions_map=dimensions,
            statistic=statistic,
            period=period,
        )

    alarms = [
        cloudwatch.Alarm(
            scope,
            "DriftAlarm",
            alarm_description=f"Data drift: more than {drift.drift_share:.0%} of the "
            f"features of {endpoint_name} drifted (report under monitoring/{plan.name}/)",
            metric=metric(facts.DRIFTED_FEATURE_SHARE, "Maximum"),
            threshold=drift.drift_share,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        ),
        # The silent failure: no rows analysed (or no run at all) for N runs.
        cloudwatch.Alarm(
            scope,
            "NoDataAlarm",
            alarm_description=f"No data: {endpoint_name} had no analysed rows in "
            f"{drift.no_data_runs} {monitor.schedule} drift runs in a row",
            metric=metric(facts.ROWS_ANALYSED, "Sum"),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=drift.no_data_runs,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        ),
        cloudwatch.Alarm(
            scope,
            "FailedRunAlarm",
            alarm_description=f"Drift pipeline {pipeline_name}: a run failed",
            metric=cloudwatch.Metric(
                namespace=PIPELINE_METRICS_NAMESPACE,
                metric_name="ExecutionFailed",
                dimensions_map={"PipelineName": pipeline_name},
                statistic="Sum",
                period=period,
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        ),
    ]
    quality = monitor.model_quality
    if isinstance(quality, ModelQualityPlan) and quality.alarm is not None:
        planned = quality.alarm
        direction = "below" if planned.higher_is_better else "above"
        alarms.append(
            cloudwatch.Alarm(
                scope,
                "ModelQualityAlarm",
                alarm_description=f"Model quality: {planned.metric} {direction} "
                f"{planned.threshold}",
                metric=metric(planned.metric, "Average"),
                threshold=planned.threshold,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
                if planned.higher_is_better
                else cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
        )
    for alarm in alarms:
        alarm.add_alarm_action(actions.SnsAction(topic))
        alarm.node.add_dependency(after)
    return alarms
