"""A SageMaker guardrail rule: a name, why it exists, and a pure check over a template."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from infra.guardrails.template import Resource, Template

PACK = "SageMaker"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with one resource."""

    resource: Resource
    location: str  # property path, e.g. "Properties/KmsKeyId"
    message: str


@dataclass(frozen=True, slots=True)
class Rule:
    """`check` returns every finding in a template; an empty result means compliant.

    Acknowledge a finding with `SageMaker::<id>` on the construct it names.
    """

    id: str  # "SageMaker-EndpointEncryption"
    explanation: str  # why the rule exists, shown with each finding
    check: Callable[[Template], Iterable[Finding]]

    def findings(self, template: Template) -> list[Finding]:
        return list(self.check(template))
