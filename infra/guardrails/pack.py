"""The SageMaker rule pack as a CDK policy-validation plugin, beside cdk-nag's packs.

It reads the synthesized templates, so one rule can follow an endpoint to its
config and model, or open a pipeline definition, without a jsii call per resource.
The CDK maps each finding back to its construct and applies acknowledgments
(`SageMaker::<rule id>`) exactly as it does for cdk-nag's findings.
"""

from __future__ import annotations

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
)

from infra.guardrails.rule import PACK, Finding, Rule
from infra.guardrails.rules import RULES
from infra.guardrails.template import Template


def violations(rules: tuple[Rule, ...], templates: list[Template]) -> list[PolicyViolation]:
    """One violation per finding, in rule, template and resource order."""
    return [
        _violation(rule, finding, template)
        for rule in rules
        for template in templates
        for finding in rule.findings(template)
    ]


def _violation(rule: Rule, finding: Finding, template: Template) -> PolicyViolation:
    return PolicyViolation(
        rule_name=rule.id,
        description=f"{finding.message}. {rule.explanation}",
        severity="error",
        violating_resources=[
            PolicyViolatingResource(
                resource_logical_id=finding.resource.logical_id,
                template_path=template.path,
                locations=[finding.location],
            )
        ],
    )


@jsii.implements(IPolicyValidationPlugin)
class SageMakerChecks:
    """SageMaker guardrails the AWS packs do not check (endpoints, training, tuning)."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self._rules = rules

    @property
    def name(self) -> str:
        return PACK

    @property
    def version(self) -> str | None:
        return None

    @property
    def rule_ids(self) -> list[str]:
        return [rule.id for rule in self._rules]

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        templates = [Template.load(path) for path in sorted(context.template_paths)]
        found = violations(self._rules, templates)
        return PolicyValidationPluginReport(success=not found, violations=found)
