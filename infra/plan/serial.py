"""Inference pipelines: 2 to 15 containers run in sequence as one model (DG:inference-pipelines).

`endpoint.pipeline` lists framework containers from the SageMaker image registry
(each with its own model artifact) and `algorithm`, the algorithm's own container.
The plan checks the count, the images (known, published, on the endpoint's
processor) and the content-type hand-off: what each container emits must be what
the next one reads — the algorithm reads its catalog request types and emits its
catalog response types. Model Monitor: `infra.plan.serial_monitoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from infra.catalog.limits import PIPELINE_MAX_CONTAINERS, PIPELINE_MIN_CONTAINERS
from infra.catalog.model import Algorithm, HostingSpec, ImageSpec, Processor
from infra.catalog.servers import ModelServer
from infra.config.serial import ALGORITHM_SLOT, PipelineContainerConfig, PipelineEntry
from infra.errors import NO_VALUE, allowed
from infra.images import is_published
from infra.images.specs import PIPELINE_FRAMEWORKS
from infra.plan.issues import Issues
from infra.plan.models import ModelSource

# Framework images run on the processors their tags name (sklearn: CPU only).
_FRAMEWORK_PROCESSORS = {"sklearn": frozenset({Processor.CPU})}


@dataclass(frozen=True, slots=True)
class PipelineContainer:
    """One container of the pipeline; `image` None is the algorithm's own slot, which
    runs the algorithm's catalog image with the endpoint's model (its artifact)."""

    hostname: str
    image: ImageSpec | None
    model_uri: str | None
    environment: tuple[tuple[str, str], ...]
    reads: tuple[str, ...]
    emits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PipelinePlan:
    containers: tuple[PipelineContainer, ...]

    @property
    def request_content_types(self) -> tuple[str, ...]:
        """What callers send: what the first container reads."""
        return self.containers[0].reads

    @property
    def model_uris(self) -> tuple[str, ...]:
        """The preprocessors' own artifacts (the algorithm's is the endpoint's model)."""
        return tuple(c.model_uri for c in self.containers if c.model_uri)

    def describe(self) -> str:
        """`featurizer → xgboost`, for the summary."""
        return " → ".join(c.hostname for c in self.containers)


def _preprocessor(
    entry: PipelineContainerConfig,
    processor: Processor,
    region: str | None,
    path: str,
    issues: Issues,
) -> PipelineContainer | None:
    image = PIPELINE_FRAMEWORKS.get((entry.framework, entry.version))
    if image is None:
        known = [f"{f} {v}" for f, v in PIPELINE_FRAMEWORKS]
        issues.add(
            f"{path}.framework",
            f"{entry.framework} {entry.version}",
            f"not a framework image the catalog knows {allowed(known)}",
        )
        return None
    if processor not in _FRAMEWORK_PROCESSORS.get(entry.framework, frozenset()):
        issues.add(
            f"{path}.framework",
            entry.framework,
            f"its {entry.version} images are for CPU only, and the pipeline runs on the "
            f"endpoint's {processor.upper()} instance type",
        )
    if region is not None and not is_published(image, region):
        issues.add(
            f"{path}.version", entry.version, f"{entry.framework} is not published in {region}"
        )
    return PipelineContainer(
        hostname=entry.name,
        image=image,
        model_uri=entry.model_uri,
        environment=tuple(sorted(entry.environment.items())),
        reads=tuple(entry.content_types),
        emits=(entry.emits,) if entry.emits else (),
    )


def plan_inference_pipeline(
    algorithm: Algorithm | ModelServer,
    entries: list[PipelineEntry],
    processor: Processor,
    region: str | None,
    path: str,
    issues: Issues,
) -> PipelinePlan | None:
    """The pipeline `entries` describe, or None (no pipeline, or mistakes recorded)."""
    if not entries:
        return None
    hosting = algorithm.hosting
    if not isinstance(algorithm, Algorithm) or not isinstance(hosting, HostingSpec):
        issues.add(path, NO_VALUE, "inference pipelines are planned for built-in algorithms only")
        return None
    before = len(issues.items)
    count = len(entries)
    if not PIPELINE_MIN_CONTAINERS <= count <= PIPELINE_MAX_CONTAINERS:
        issues.add(
            path,
            count,
            f"an inference pipeline has {PIPELINE_MIN_CONTAINERS} to "
            f"{PIPELINE_MAX_CONTAINERS} containers",
        )
    slots = [i for i, e in enumerate(entries) if e == ALGORITHM_SLOT]
    if len(slots) != 1:
        issues.add(
            path,
            NO_VALUE,
            f"name `{ALGORITHM_SLOT}` (the {algorithm.name} container) exactly once, "
            f"not {len(slots)} times",
        )
    containers: list[PipelineContainer] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, PipelineContainerConfig):
            if planned := _preprocessor(entry, processor, region, f"{path}.{index}", issues):
                containers.append(planned)
        else:
            containers.append(
                PipelineContainer(
                    hostname=algorithm.name,
                    image=None,
                    model_uri=None,
                    environment=hosting.environment,
                    reads=hosting.request_content_types,
                    emits=hosting.accept_types,
                )
            )
    names = [c.hostname for c in containers]
    if len(set(names)) != len(names):
        issues.add(path, ", ".join(names), "container names must be unique")
    if len(issues.items) > before:  # the hand-off reads whole, valid containers
        return None
    for index, (first, then) in enumerate(pairwise(containers)):
        if not first.emits:
            issues.add(f"{path}.{index}.emits", NO_VALUE, f"needed: {then.hostname} reads it next")
        elif not set(first.emits) & set(then.reads):
            issues.add(
                f"{path}.{index}.emits",
                ", ".join(first.emits),
                f"{then.hostname} reads {allowed(list(then.reads))}",
            )
    if len(issues.items) > before:
        return None
    return PipelinePlan(containers=tuple(containers))


def check_pipeline_sources(sources: tuple[ModelSource, ...], path: str, issues: Issues) -> None:
    """A pipeline runs the algorithm's artifact in its catalog image beside the other
    containers: a pinned model package names neither in the template."""
    if any(s.model_package_arn for s in sources):
        issues.add(
            f"{path}.model_package_arn",
            next(s.model_package_arn for s in sources if s.model_package_arn),
            "an inference pipeline serves the algorithm's artifact: pin model_uri instead, "
            "or follow the registry (its approved package's artifact is served)",
        )
