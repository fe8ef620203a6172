"""SageMaker-ServerlessLimits: serverless endpoint configs stay inside what SageMaker accepts.

Memory sizes, concurrency bounds and the serverless feature exclusions (one
variant, no data capture, no VPC, no network isolation) are facts §11; an
algorithm the catalog marks as not servable serverless is refused too.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.limits import SERVERLESS_MAX_CONCURRENCY, SERVERLESS_MEMORY_SIZES_MB
from infra.catalog.model import NotSupported
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Resource, Template, hosted_entry, variants

_WHERE = "Properties/ProductionVariants"


def _limits(config: Resource, serverless: dict) -> Iterator[Finding]:
    memory = serverless.get("MemorySizeInMB")
    if memory not in SERVERLESS_MEMORY_SIZES_MB:
        allowed = ", ".join(map(str, SERVERLESS_MEMORY_SIZES_MB))
        yield Finding(config, _WHERE, f"MemorySizeInMB {memory} is not one of {allowed}")
    maximum = serverless.get("MaxConcurrency")
    if not isinstance(maximum, int) or not 1 <= maximum <= SERVERLESS_MAX_CONCURRENCY:
        yield Finding(
            config, _WHERE, f"MaxConcurrency {maximum} is not 1 to {SERVERLESS_MAX_CONCURRENCY}"
        )
    provisioned = serverless.get("ProvisionedConcurrency")
    if provisioned is not None and isinstance(maximum, int) and not 1 <= provisioned <= maximum:
        yield Finding(
            config, _WHERE, f"ProvisionedConcurrency {provisioned} is not 1 to MaxConcurrency"
        )


def _exclusions(template: Template, config: Resource, variant: dict) -> Iterator[Finding]:
    if len(variants(config)) > 1:
        yield Finding(config, _WHERE, "a serverless endpoint has exactly one variant")
    if "DataCaptureConfig" in config.properties:
        yield Finding(
            config, "Properties/DataCaptureConfig", "serverless endpoints cannot capture data"
        )
    model = template.target(variant.get("ModelName"))
    if model is None:
        return
    if "VpcConfig" in model.properties:
        yield Finding(model, "Properties/VpcConfig", "serverless models cannot run in a VPC")
    if model.properties.get("EnableNetworkIsolation") is True:
        yield Finding(
            model,
            "Properties/EnableNetworkIsolation",
            "serverless models cannot use network isolation",
        )
    entry = hosted_entry(model)
    hosting = entry.hosting if entry else None
    reason = hosting if isinstance(hosting, NotSupported) else hosting and hosting.serverless
    if entry and reason:
        yield Finding(config, _WHERE, f"{entry.name} cannot be served serverless: {reason.reason}")


def check(template: Template) -> Iterator[Finding]:
    for config in template.of_type("AWS::SageMaker::EndpointConfig"):
        for variant in variants(config):
            serverless = variant.get("ServerlessConfig")
            if serverless is not None:
                yield from _limits(config, serverless)
                yield from _exclusions(template, config, variant)


RULE = Rule(
    id="SageMaker-ServerlessLimits",
    explanation="Serverless endpoint configs use a memory size and concurrency SageMaker "
    "accepts, one variant, and none of the features serverless excludes.",
    check=check,
)
