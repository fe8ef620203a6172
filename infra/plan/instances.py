"""The one check for "can this algorithm run on that instance type"."""

from __future__ import annotations

from infra.catalog.instances import Use, is_offered, parse
from infra.catalog.model import Processor
from infra.plan.issues import Issues

_EXAMPLES = {
    Use.TRAINING: "ml.m5.xlarge",
    Use.HOSTING: "ml.m5.large",
    Use.PROCESSING: "ml.m5.xlarge",
    Use.TRANSFORM: "ml.m5.xlarge",
}


def _families(families: tuple[str, ...]) -> str:
    return ", ".join(f"ml.{f}.*" for f in families)


def check_instance_type(
    *,
    algorithm: str,
    use: Use,
    instance_type: str,
    processors: frozenset[Processor],
    gpu_families: tuple[str, ...],
    cpu_families: tuple[str, ...],
    path: str,
    issues: Issues,
) -> Processor | None:
    """The instance's processor when `algorithm` can use it for `use`; else record why not."""
    verb = {
        Use.TRAINING: "trains",
        Use.HOSTING: "hosts",
        Use.PROCESSING: "runs",
        Use.TRANSFORM: "transforms",
    }[use]
    instance = parse(instance_type)
    if instance is None or not is_offered(instance_type, use):
        issues.add(
            path,
            instance_type,
            f"not a SageMaker {use} instance type (e.g. {_EXAMPLES[use]})",
        )
        return None
    processor = instance.processor
    if processor is None:
        issues.add(
            path,
            instance_type,
            f"{algorithm}'s image needs an x86 CPU or NVIDIA GPU instance, "
            f"not {instance.architecture}",
        )
        return None
    if processor not in processors:
        (only,) = processors
        families = gpu_families if only is Processor.GPU else cpu_families
        hint = f"allowed: {_families(families)}" if families else "allowed: CPU instance types"
        issues.add(path, instance_type, f"{algorithm} {verb} on {only.upper()} only ({hint})")
        return None
    families = gpu_families if processor is Processor.GPU else cpu_families
    if families and instance.family not in families:
        issues.add(
            path,
            instance_type,
            f"{algorithm} {verb} on {processor.upper()} families it documents only "
            f"(allowed: {_families(families)})",
        )
        return None
    return processor
