"""Endpoints per variant: instance types and counts, autoscaling bounds, and the model
served (a registry package as `group vN`, or the artifact)."""

from __future__ import annotations

from dataclasses import dataclass

from infra.assembly import Json
from infra.guardrails.template import Template, algorithm_of_image, text, variants
from infra.plan.models import PackageArn


@dataclass(frozen=True, slots=True)
class Capacity:
    stack: str
    endpoint: str  # logical id: stable when the endpoint's name changes
    name: str
    variant: str
    instance: str  # "ml.m5.xlarge x 1", or "serverless 2048 MB, up to 10 concurrent"
    scaling: str  # "1-4" or "" without autoscaling
    model: str = ""  # "dev-xgboost-models v3", or the artifact's s3:// URI

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.stack, self.endpoint, self.variant)


def _instance(variant: Json) -> str:
    serverless = variant.get("ServerlessConfig")
    if serverless is not None:
        return (
            f"serverless {serverless.get('MemorySizeInMB')} MB, "
            f"up to {serverless.get('MaxConcurrency')} concurrent"
        )
    return f"{text(variant.get('InstanceType'))} x {variant.get('InitialInstanceCount', 1)}"


def _served(template: Template, variant: Json) -> str:
    model = template.target(variant.get("ModelName"))
    if model is None:
        return ""
    containers = [model.properties.get("PrimaryContainer") or {}]
    containers = model.properties.get("Containers") or containers
    # An inference pipeline: the algorithm's container, not its preprocessors'.
    container = next(
        (
            c
            for c in containers
            if c.get("ModelPackageName") or algorithm_of_image(text(c.get("Image", "")))
        ),
        containers[0],
    )
    package = text(container.get("ModelPackageName", ""))
    if parsed := PackageArn.parse(package):
        return f"{parsed.group} v{parsed.version}"
    return package or text(container.get("ModelDataUrl", ""))


def capacities(stack: str, body: Json) -> list[Capacity]:
    template = Template.parse(body)
    bounds = {
        text(t.properties.get("ResourceId")): f"{t.properties.get('MinCapacity')}-"
        f"{t.properties.get('MaxCapacity')}"
        for t in template.of_type("AWS::ApplicationAutoScaling::ScalableTarget")
        if t.properties.get("ServiceNamespace") == "sagemaker"
    }
    out = []
    for endpoint in template.of_type("AWS::SageMaker::Endpoint"):
        config = template.target(endpoint.properties.get("EndpointConfigName"))
        if config is None:
            continue
        name = text(endpoint.properties.get("EndpointName", endpoint.logical_id))
        for variant in variants(config):
            variant_name = text(variant.get("VariantName", ""))
            out.append(
                Capacity(
                    stack=stack,
                    endpoint=endpoint.logical_id,
                    name=name,
                    variant=variant_name,
                    instance=_instance(variant),
                    scaling=bounds.get(f"endpoint/{name}/variant/{variant_name}", ""),
                    model=_served(template, variant),
                )
            )
    return out
