"""The stage's monitoring notifications: one encrypted SNS topic, fed by rules and alarms."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.constructs.dead_letters import dead_letter_queue
from infra.names import physical_name

PROCESSING_JOB_STATE_CHANGE = "SageMaker Processing Job State Change"


class MonitoringNotifications(Construct):
    """An SNS topic (stage key, TLS only) that hears about every monitor of the stage.

    Monitoring executions run as processing jobs carrying their schedule's ARN, so
    EventBridge rules match the stage's schedules by ARN prefix: one for failed
    executions (a missing baseline shows up here), one for executions that completed
    with violations (data drift or model-quality breaches). Each rule also has a
    CloudWatch alarm on its TriggeredRules metric, so the state is visible in the
    console as well as in the inbox. Algorithm stacks add their model-quality alarms.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        key: kms.IKey,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.topic = sns.Topic(
            self,
            "Topic",
            display_name=f"SageMaker monitoring, stage {prefix}",
            master_key=key,
            enforce_ssl=True,
        )
        # Notifications EventBridge could not deliver wait here (14 days) instead of vanishing,
        # and outlive the stack in a durable stage, like its other data.
        self.dead_letters = dead_letter_queue(
            self,
            "UndeliveredNotifications",
            key=key,
            role="This queue is the dead-letter queue of the monitoring EventBridge rules' targets",
            removal_policy=removal_policy,
        )
        schedules = stack.format_arn(
            service="sagemaker",
            resource="monitoring-schedule",
            resource_name=f"{physical_name(prefix, None, 'x')[:-1]}",
        )
        self.alarms: list[cloudwatch.Alarm] = []
        for name, condition, description in (
            (
                "FailedMonitoring",
                {"ProcessingJobStatus": ["Failed"]},
                "A monitoring execution failed (no baseline yet, or a broken job)",
            ),
            (
                "MonitoringViolations",
                {"ExitMessage": [{"prefix": "CompletedWithViolations"}]},
                "A monitoring execution found violations of its baseline constraints",
            ),
        ):
            rule = events.Rule(
                self,
                name,
                description=description,
                event_pattern=events.EventPattern(
                    source=["aws.sagemaker"],
                    detail_type=[PROCESSING_JOB_STATE_CHANGE],
                    detail={"MonitoringScheduleArn": [{"prefix": schedules}], **condition},
                ),
            )
            rule.add_target(
                targets.SnsTopic(self.topic, dead_letter_queue=self.dead_letters, retry_attempts=10)
            )
            alarm = cloudwatch.Alarm(
                self,
                f"{name}Alarm",
                alarm_description=description,
                metric=cloudwatch.Metric(
                    namespace="AWS/Events",
                    metric_name="TriggeredRules",
                    dimensions_map={"RuleName": rule.rule_name},
                    statistic="Sum",
                    period=cdk.Duration.minutes(5),
                ),
                threshold=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(actions.SnsAction(self.topic))
            self.alarms.append(alarm)
