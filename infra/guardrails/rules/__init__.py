"""The SageMaker rules, one per module; `infra.guardrails.pack` composes them."""

from __future__ import annotations

from infra.guardrails.rule import Rule
from infra.guardrails.rules import (
    data_capture,
    deployment_guardrails,
    endpoint_encryption,
    input_mode,
    instance_types,
    serverless_limits,
    spot_checkpointing,
    training_isolation,
    tuning_early_stopping,
)

RULES: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        endpoint_encryption,
        data_capture,
        deployment_guardrails,
        training_isolation,
        spot_checkpointing,
        tuning_early_stopping,
        serverless_limits,
        instance_types,
        input_mode,
    )
)
