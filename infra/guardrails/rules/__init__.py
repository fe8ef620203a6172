"""The SageMaker rules, one per module; `infra.guardrails.pack` composes them.

A rule module is listed once, here, in the order the pack reports its findings.
"""

from __future__ import annotations

from importlib import import_module

from infra.guardrails.rule import Rule

_MODULES = (
    "endpoint_encryption",
    "data_capture",
    "deployment_guardrails",
    "training_isolation",
    "spot_checkpointing",
    "tuning_early_stopping",
    "serverless_limits",
    "async_outputs",
    "async_scale_to_zero",
    "instance_types",
    "input_mode",
    "transform_encryption",
    "transform_isolation",
    "processing_isolation",
    "schedule_encryption",
)

RULES: tuple[Rule, ...] = tuple(import_module(f"{__name__}.{name}").RULE for name in _MODULES)
