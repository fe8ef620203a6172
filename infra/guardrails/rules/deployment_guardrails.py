"""SageMaker-DeploymentGuardrails: real-time endpoints update blue/green and roll back on alarms.

Without a DeploymentConfig an endpoint update flips all traffic at once and
keeps a bad model serving; serverless endpoints are exempt (guardrails do not
apply to them, facts §11).
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, instance_variants, variants

_WHERE = "Properties/DeploymentConfig"


def check(template: Template) -> Iterator[Finding]:
    for endpoint in template.of_type("AWS::SageMaker::Endpoint"):
        config = template.target(endpoint.properties.get("EndpointConfigName"))
        if config is None or not instance_variants(config):
            continue
        deployment = endpoint.properties.get("DeploymentConfig", {})
        blue_green = deployment.get("BlueGreenUpdatePolicy")
        rolling = deployment.get("RollingUpdatePolicy")
        if not blue_green and not rolling:
            yield Finding(endpoint, _WHERE, "no blue/green or rolling update policy")
        elif rolling and len(variants(config)) > 1:
            yield Finding(
                endpoint,
                f"{_WHERE}/RollingUpdatePolicy",
                "rolling updates do not apply to endpoints with several variants",
            )
        alarms = deployment.get("AutoRollbackConfiguration", {}).get("Alarms", [])
        if not alarms:
            yield Finding(
                endpoint,
                f"{_WHERE}/AutoRollbackConfiguration",
                "no rollback alarms: a failing update is not rolled back",
            )
        for alarm in alarms:
            name = alarm.get("AlarmName")
            target = template.target(name)
            if isinstance(name, dict) and (
                target is None or target.type != "AWS::CloudWatch::Alarm"
            ):
                yield Finding(
                    endpoint,
                    f"{_WHERE}/AutoRollbackConfiguration/Alarms",
                    f"rollback alarm {name} is not a CloudWatch alarm of this stack",
                )


RULE = Rule(
    id="SageMaker-DeploymentGuardrails",
    explanation="Every real-time endpoint updates blue/green (or rolling) and rolls back "
    "automatically when one of its CloudWatch alarms fires.",
    check=check,
)
