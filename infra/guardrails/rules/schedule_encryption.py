"""SageMaker-ScheduleEncryption: the EventBridge Scheduler schedules that start
SageMaker pipelines (training, tuning, transform, drift) are encrypted with the stage key.

Without KmsKeyArn a schedule's data is encrypted with an AWS owned key (EventBridge
Scheduler UG, "Encryption at rest"), outside the stage key's policy and audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, text


def check(template: Template) -> Iterator[Finding]:
    for schedule in template.of_type("AWS::Scheduler::Schedule"):
        target = text(schedule.properties.get("Target", {}).get("Arn", ""))
        if ":pipeline/" in target and not schedule.properties.get("KmsKeyArn"):
            yield Finding(schedule, "Properties/KmsKeyArn", "a pipeline schedule without KmsKeyArn")


RULE = Rule(
    id="SageMaker-ScheduleEncryption",
    explanation="Schedules that start SageMaker pipelines are encrypted with the stage key.",
    check=check,
)
