"""SageMaker-InstanceType: each job and endpoint runs on an instance type its algorithm supports.

GPU-only training (object detection, semantic segmentation, seq2seq …) on a GPU,
CPU-only hosting on a CPU, documented families only: the same catalog check the
plan makes, applied to what was synthesized (escape hatches included).
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.instances import Use
from infra.catalog.model import HostingSpec, NotSupported, TrainingSpec
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.rules.training_isolation import WHERE
from infra.guardrails.template import Template, hosted_entry, instance_variants, text
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues


def _problems(
    name: str, use: Use, instance_type: str, spec: TrainingSpec | HostingSpec
) -> list[str]:
    """Why `name` cannot use `instance_type` for `use`, per the catalog (empty: it can)."""
    issues = Issues()
    check_instance_type(
        algorithm=name,
        use=use,
        instance_type=instance_type,
        processors=spec.processors,
        gpu_families=spec.gpu_families,
        cpu_families=spec.cpu_families,
        path="",
        issues=issues,
    )
    return [issue.message for issue in issues.items]


def _training(template: Template) -> Iterator[Finding]:
    for job in template.training_jobs():
        algorithm = job.algorithm
        instance_type = job.request.get("ResourceConfig", {}).get("InstanceType")
        if algorithm is None or instance_type is None:
            continue
        for problem in _problems(algorithm.name, Use.TRAINING, instance_type, algorithm.training):
            yield Finding(job.pipeline, WHERE, f"{job.where}: {instance_type}: {problem}")


def _hosting(template: Template) -> Iterator[Finding]:
    for config in template.of_type("AWS::SageMaker::EndpointConfig"):
        for variant in instance_variants(config):
            model = template.target(variant.get("ModelName"))
            entry = model and hosted_entry(model)
            if not entry or isinstance(entry.hosting, NotSupported):
                continue
            instance_type = text(variant["InstanceType"])
            for problem in _problems(entry.name, Use.HOSTING, instance_type, entry.hosting):
                yield Finding(
                    config,
                    "Properties/ProductionVariants",
                    f"variant {variant.get('VariantName')}: {instance_type}: {problem}",
                )


def check(template: Template) -> Iterator[Finding]:
    yield from _training(template)
    yield from _hosting(template)


RULE = Rule(
    id="SageMaker-InstanceType",
    explanation="Training jobs and endpoint variants use instance types the algorithm runs "
    "on: the processor it supports and the families it documents.",
    check=check,
)
