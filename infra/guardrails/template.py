"""Read-only views of a synthesized template for the SageMaker rules.

Rules see plain data: resources with their properties, the resource a `Ref` or
`Fn::GetAtt` points at, the training jobs inside a pipeline definition, and the
catalog entry an image or a model serves. Intrinsics that cannot be known at
synth (`Ref AWS::Region`, another stack's output) are written as `${...}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.catalog import CATALOG
from infra.catalog.model import Algorithm
from infra.catalog.servers import MODEL_SERVERS, ModelServer
from infra.names import SERVES_TAG

Json = dict[str, Any]
HostedEntry = Algorithm | ModelServer

_REPOSITORIES: Mapping[str, Algorithm] = {
    image.repository: algorithm for algorithm in CATALOG.values() for image in algorithm.images
}


def text(value: Any) -> str:
    """`value` as a string, each intrinsic written as `${...}` (never quotes or backslashes)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Fn::Join":
            separator, parts = arg
            return separator.join(text(part) for part in parts)
        if key == "Ref":
            return f"${{{arg}}}"
        if key == "Fn::GetAtt":
            return f"${{{'.'.join(arg)}}}"
        if key == "Fn::GetStackOutput":
            return f"${{{arg['StackName']}.{arg['OutputName']}}}"
        if key == "Fn::Sub":
            # Its `${Name}` placeholders already read the way this module writes intrinsics.
            return arg if isinstance(arg, str) else text(arg[0])
        return f"${{{key}}}"
    return "${?}"


@dataclass(frozen=True, slots=True)
class Resource:
    logical_id: str
    type: str
    properties: Json


@dataclass(frozen=True, slots=True)
class PipelineRequest:
    """A SageMaker API request inside a pipeline step, parameters at their defaults."""

    pipeline: Resource
    step: str
    request: Json

    @property
    def where(self) -> str:
        return f"pipeline step {self.step!r}"


@dataclass(frozen=True, slots=True)
class TrainingJob(PipelineRequest):
    """One CreateTrainingJob request (or a tuning job's training definition) in a pipeline.

    Pipeline parameters (`{"Get": "Parameters.X"}`) are replaced by their defaults;
    `parameterized` names the request fields a pipeline run may override.
    """

    parameterized: frozenset[str] = frozenset()

    @property
    def image(self) -> str:
        specification = self.request.get("AlgorithmSpecification", {})
        return specification.get("TrainingImage", "")

    @property
    def algorithm(self) -> Algorithm | None:
        return algorithm_of_image(self.image)


@dataclass(frozen=True, slots=True)
class TuningJob(PipelineRequest):
    """One CreateHyperParameterTuningJob request in a pipeline."""


@dataclass(frozen=True, slots=True)
class ProcessingJob(PipelineRequest):
    """One CreateProcessingJob request in a pipeline (a baseline or drift check step)."""


@dataclass(frozen=True, slots=True)
class TransformJob(PipelineRequest):
    """One CreateTransformJob request in a pipeline (parameters at their defaults)."""

    @property
    def model_id(self) -> str | None:
        """The logical id of the template's model the request names (`${Id.ModelName}`)."""
        name = text(self.request.get("ModelName", ""))
        if name.startswith("${") and name.endswith(".ModelName}"):
            return name[2 : -len(".ModelName}")]
        return None


@dataclass(frozen=True, slots=True)
class Template:
    """One synthesized stack template, its pipeline definitions parsed once."""

    path: str
    resources: Mapping[str, Resource]
    training: tuple[TrainingJob, ...] = ()
    tuning: tuple[TuningJob, ...] = ()
    transform: tuple[TransformJob, ...] = ()
    processing: tuple[ProcessingJob, ...] = ()

    @classmethod
    def load(cls, path: str | Path) -> Template:
        return cls.parse(json.loads(Path(path).read_text()), str(path))

    @classmethod
    def parse(cls, body: Json, path: str = "template.json") -> Template:
        resources = {
            logical_id: Resource(logical_id, r["Type"], r.get("Properties", {}))
            for logical_id, r in body.get("Resources", {}).items()
        }
        training: list[TrainingJob] = []
        tuning: list[TuningJob] = []
        transform: list[TransformJob] = []
        processing: list[ProcessingJob] = []
        for pipeline, steps, parameters in _pipelines(resources.values()):
            for step in steps:
                arguments = step.get("Arguments", {})
                if step.get("Type") == "Processing":
                    request = _with_defaults(arguments, parameters)[0]
                    processing.append(ProcessingJob(pipeline, step["Name"], request))
                elif step.get("Type") == "Training":
                    training.append(_training_job(pipeline, step["Name"], arguments, parameters))
                elif step.get("Type") == "Tuning":
                    request = _with_defaults(arguments, parameters)[0]
                    tuning.append(TuningJob(pipeline, step["Name"], request))
                    definitions = arguments.get("TrainingJobDefinitions") or [
                        arguments.get("TrainingJobDefinition", {})
                    ]
                    training += [
                        _training_job(pipeline, step["Name"], d, parameters) for d in definitions
                    ]
                elif step.get("Type") == "Transform":
                    request = _with_defaults(arguments, parameters)[0]
                    transform.append(TransformJob(pipeline, step["Name"], request))
        return cls(
            path,
            resources,
            tuple(training),
            tuple(tuning),
            tuple(transform),
            tuple(processing),
        )

    def of_type(self, resource_type: str) -> Iterator[Resource]:
        return (r for r in self.resources.values() if r.type == resource_type)

    def target(self, value: Any) -> Resource | None:
        """The resource in this template that `{"Ref": id}` / `{"Fn::GetAtt": [id, …]}` names."""
        if isinstance(value, dict) and "Ref" in value:
            return self.resources.get(value["Ref"])
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            return self.resources.get(value["Fn::GetAtt"][0])
        return None

    def training_jobs(self) -> tuple[TrainingJob, ...]:
        """Every training request in the template's pipelines, tuning definitions included."""
        return self.training

    def tuning_jobs(self) -> tuple[TuningJob, ...]:
        return self.tuning

    def transform_jobs(self) -> tuple[TransformJob, ...]:
        return self.transform

    def processing_jobs(self) -> tuple[ProcessingJob, ...]:
        return self.processing


def _pipelines(
    resources: Iterable[Resource],
) -> Iterator[tuple[Resource, list[Json], Mapping[str, Any]]]:
    for pipeline in resources:
        if pipeline.type != "AWS::SageMaker::Pipeline":
            continue
        body = pipeline.properties.get("PipelineDefinition", {}).get("PipelineDefinitionBody")
        if body is None:
            continue  # a definition in S3 (PipelineDefinitionS3Location) is not in the template
        try:
            definition = json.loads(text(body))
        except ValueError:
            continue  # an intrinsic outside a JSON string: not a definition we can read
        parameters = {p["Name"]: p.get("DefaultValue") for p in definition.get("Parameters", [])}
        yield pipeline, definition.get("Steps", []), parameters


def _with_defaults(value: Any, parameters: Mapping[str, Any]) -> tuple[Any, set[str]]:
    """`value` with each pipeline parameter replaced by its default, and the names used."""
    used: set[str] = set()

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            reference = item.get("Get")
            if (
                len(item) == 1
                and isinstance(reference, str)
                and reference.startswith("Parameters.")
            ):
                name = reference.removeprefix("Parameters.")
                used.add(name)
                return parameters.get(name)
            return {key: walk(child) for key, child in item.items()}
        if isinstance(item, list):
            return [walk(child) for child in item]
        return item

    return walk(value), used


def _training_job(
    pipeline: Resource, step: str, arguments: Json, parameters: Mapping[str, Any]
) -> TrainingJob:
    request, _ = _with_defaults(arguments, parameters)
    parameterized = frozenset(
        key
        for key, child in arguments.get("ResourceConfig", {}).items()
        if _with_defaults(child, parameters)[1]
    )
    return TrainingJob(pipeline, step, request, parameterized)


def algorithm_of_image(image: str) -> Algorithm | None:
    """The catalog algorithm whose image `image` is (by repository name), if any."""
    repository = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    return _REPOSITORIES.get(repository)


def hosted_entry(model: Resource) -> HostedEntry | None:
    """What an AWS::SageMaker::Model serves: a catalog algorithm or one of our model servers.

    By its image; a model package names none, so by the model's `SERVES_TAG` then.
    """
    tags = {t.get("Key"): t.get("Value") for t in model.properties.get("Tags", [])}
    served = tags.get(SERVES_TAG)
    if isinstance(served, str) and (entry := CATALOG.get(served) or MODEL_SERVERS.get(served)):
        return entry
    containers = model.properties.get("Containers") or [model.properties.get("PrimaryContainer")]
    container = containers[0] or {}
    algorithm = algorithm_of_image(text(container.get("Image", "")))
    if algorithm is not None:
        return algorithm
    environment = container.get("Environment", {})
    for server in MODEL_SERVERS.values():
        if all(environment.get(k) == v for k, v in server.hosting.environment):
            return server
    return None


def variants(config: Resource) -> list[Json]:
    """An endpoint config's production and shadow variants."""
    properties = config.properties
    return [
        *properties.get("ProductionVariants", []),
        *properties.get("ShadowProductionVariants", []),
    ]


def instance_variants(config: Resource) -> list[Json]:
    """The variants that run on instances (not serverless)."""
    return [v for v in variants(config) if "InstanceType" in v]
