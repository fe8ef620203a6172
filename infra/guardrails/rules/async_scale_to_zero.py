"""SageMaker-AsyncScaleToZero: an asynchronous endpoint that scales to zero can scale back.

At zero instances no instance reports ApproximateBacklogSizePerInstance, so target
tracking alone never brings the first one back; a step policy fired by an alarm on
HasBacklogWithoutCapacity does (DG:async-inference-autoscale). So a scalable target
with MinCapacity 0 on an asynchronous endpoint needs a StepScaling policy and an
alarm on that metric, for that endpoint, whose action is the policy.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Resource, Template, text

METRIC = "HasBacklogWithoutCapacity"


def _async_endpoints(template: Template) -> set[str]:
    """The names of this template's endpoints whose config is asynchronous."""
    names = set()
    for endpoint in template.of_type("AWS::SageMaker::Endpoint"):
        config = template.target(endpoint.properties.get("EndpointConfigName"))
        if config is not None and "AsyncInferenceConfig" in config.properties:
            names.add(text(endpoint.properties.get("EndpointName", "")))
    return names


def _scales_out(template: Template, policy: Resource, endpoint: str) -> bool:
    """Whether an alarm on HasBacklogWithoutCapacity of `endpoint` fires `policy`."""
    for alarm in template.of_type("AWS::CloudWatch::Alarm"):
        properties = alarm.properties
        dimensions = {d.get("Name"): text(d.get("Value")) for d in properties.get("Dimensions", [])}
        if properties.get("MetricName") != METRIC or dimensions.get("EndpointName") != endpoint:
            continue
        if any(template.target(action) is policy for action in properties.get("AlarmActions", [])):
            return True
    return False


def check(template: Template) -> Iterator[Finding]:
    asynchronous = _async_endpoints(template)
    for target in template.of_type("AWS::ApplicationAutoScaling::ScalableTarget"):
        properties = target.properties
        resource = text(properties.get("ResourceId", ""))
        endpoint = resource.removeprefix("endpoint/").split("/variant/")[0]
        if properties.get("MinCapacity") != 0 or endpoint not in asynchronous:
            continue
        steps = [
            p
            for p in template.of_type("AWS::ApplicationAutoScaling::ScalingPolicy")
            if p.properties.get("PolicyType") == "StepScaling"
            and template.target(p.properties.get("ScalingTargetId")) is target
        ]
        if not any(_scales_out(template, step, endpoint) for step in steps):
            yield Finding(
                target,
                "Properties/MinCapacity",
                f"{endpoint} scales to zero but no step policy on {METRIC} scales it back out",
            )


RULE = Rule(
    id="SageMaker-AsyncScaleToZero",
    explanation="An asynchronous endpoint that may scale to zero instances has a step "
    "scaling policy, fired by an alarm on HasBacklogWithoutCapacity, to scale back out.",
    check=check,
)
