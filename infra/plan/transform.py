"""Batch transform decisions: the offline scoring pipeline of one hostable algorithm.

Opt-in (`transform.enabled`, default off): a transform pipeline renders a SageMaker
model of its own, which the model-lifecycle rule allows only once the model it serves
exists, and a fresh account's SageMaker instance quotas start at 0 for many types
(facts: "SageMaker instance quotas on new accounts", seen for endpoints and training;
transform jobs have per-type quotas of their own), so a default-on pipeline or schedule
would mostly fail runs nobody asked for.

The model is the one the real-time endpoint would serve: the endpoint's pinned
artifact or package, else the newest approved package recorded in cdk.context.json.
Without one the plan is `Waiting` (fully checked, rendered by nothing), so no model,
pipeline or schedule exists before the artifact it serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.algorithms._common import CSV
from infra.catalog.instances import Use, has_local_storage
from infra.catalog.model import Algorithm, NotSupported, Processor
from infra.catalog.transform import (
    JOINABLE,
    LINE_OUTPUTS,
    MAX_PAYLOAD_MB,
    TRANSFORM,
    BatchStrategy,
    SplitType,
    TransformSpec,
    split_type,
)
from infra.config.hosting import EndpointConfig
from infra.config.transform import TransformConfig
from infra.errors import allowed
from infra.plan.hosting import HostingImage, hosting_image, unsupported
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.models import ModelChooser, ModelSource, Waiting
from infra.plan.serial import PipelinePlan
from infra.plan.skipped import DISABLED, Skipped

# Where results find their ids (DG:batch-transform-data-processing, API DataProcessing):
# a CSV record's first column is its id, dropped before inference and kept with the
# result (the joined row is the input row followed by the output); a JSON record keeps
# its `id` attribute beside SageMakerOutput.
# UNCONFIRMED (no AWS source either way): whether a CSV row joins cleanly with a JSON
# Lines result (k-means, PCA write no CSV; the API only says the transformed row is
# appended to the input row in a CSV file), and whether every built-in ignores an `id`
# attribute beside `features` in a JSON record (InputFilter `$` passes it on).
# `input_filter` / `output_filter` / `accept` override each.
CSV_FILTERS = ("$[1:]", "$[0,-1]")
JSON_FILTERS = ("$", "$['id','SageMakerOutput']")


@dataclass(frozen=True, slots=True)
class JoinPlan:
    """DataProcessing: JoinSource Input with these filters."""

    input_filter: str
    output_filter: str


@dataclass(frozen=True, slots=True)
class TransformPlan:
    source: ModelSource
    image: HostingImage
    processor: Processor
    instance_type: str
    instance_count: int  # the run-time parameter's default
    content_type: str
    accept: str
    split_type: SplitType
    batch_strategy: BatchStrategy | None  # None: records are not split
    max_payload_mb: int
    max_concurrent_transforms: int | None  # None: SageMaker's choice for built-ins
    assemble_with: str  # "Line" or "None"
    join: JoinPlan | None  # None: ids are the input object names (images, binary)
    # Whether the job may name our KMS key for its volume (not on local storage).
    encrypt_volume: bool
    schedule: str | None = None
    # The endpoint's inference pipeline: a transform scores through the same containers.
    pipeline: PipelinePlan | None = None


def plan_transform(
    algorithm: Algorithm,
    config: TransformConfig,
    endpoint: EndpointConfig,
    models: ModelChooser,
    path: str,
    issues: Issues,
    pipeline: PipelinePlan | None = None,
) -> TransformPlan | Skipped:
    """The transform pipeline's plan; `Waiting` until the endpoint's model exists.

    With an inference pipeline on the endpoint, the transform runs the same containers
    in sequence, so it reads what the first container reads."""
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return unsupported(hosting, config.enabled, "a batch transform", name, path, issues)
    if not config.enabled:
        return DISABLED
    spec = TRANSFORM[name]
    before = len(issues.items)
    instance_type = config.instance_type or hosting.default_instance_type
    processor = check_instance_type(
        algorithm=name,
        use=Use.TRANSFORM,
        instance_type=instance_type,
        processors=hosting.processors,
        gpu_families=hosting.gpu_families,
        cpu_families=hosting.cpu_families,
        path=f"{path}.instance_type",
        issues=issues,
    )
    reads = pipeline.request_content_types if pipeline is not None else spec.content_types
    content_type = _one_of(config.content_type, reads, "reads", name, path, issues)
    accept = _one_of(config.accept, _accepts(spec, content_type), "writes", name, path, issues)
    split = split_type(content_type)
    strategy = _batch_strategy(config, spec, content_type, split, name, path, issues)
    _check_payload(config, path, issues)
    join = _join(config, content_type, path, issues)
    # Same model as the real-time endpoint (whose own mistakes plan_endpoint reports).
    source = models.choose(endpoint.model_uri, endpoint.model_package_arn, path, Issues())
    if processor is None or len(issues.items) > before:
        return NotSupported("invalid transform config")
    plan = TransformPlan(
        source=source if isinstance(source, ModelSource) else ModelSource(),
        image=hosting_image(algorithm, hosting),
        processor=processor,
        instance_type=instance_type,
        instance_count=config.instance_count,
        content_type=content_type,
        accept=accept,
        split_type=split,
        batch_strategy=strategy,
        max_payload_mb=config.max_payload_mb,
        max_concurrent_transforms=config.max_concurrent_transforms,
        assemble_with="Line" if accept in LINE_OUTPUTS else "None",
        join=join,
        encrypt_volume=not has_local_storage(instance_type),
        schedule=config.schedule,
        pipeline=pipeline,
    )
    return source.of(plan) if isinstance(source, Waiting) else plan


def _accepts(spec: TransformSpec, content_type: str) -> tuple[str, ...]:
    """Accept types, CSV first for CSV input where the algorithm writes CSV: a joined
    CSV row then stays CSV (the result appended to the input row)."""
    if content_type == CSV and CSV in spec.accept_types:
        return (CSV, *(a for a in spec.accept_types if a != CSV))
    return spec.accept_types


def _one_of(
    value: str | None,
    choices: tuple[str, ...],
    verb: str,
    name: str,
    path: str,
    issues: Issues,
) -> str:
    if value is None:
        return choices[0]
    if value not in choices:
        key = "content_type" if verb == "reads" else "accept"
        issues.add(
            f"{path}.{key}", value, f"{name} batch transform {verb} {allowed(list(choices))}"
        )
        return choices[0]
    return value


def _batch_strategy(
    config: TransformConfig,
    spec: TransformSpec,
    content_type: str,
    split: SplitType,
    name: str,
    path: str,
    issues: Issues,
) -> BatchStrategy | None:
    if split is SplitType.NONE:
        # API BatchStrategy: "To enable the batch strategy, you must set SplitType to
        # Line, RecordIO, or TFRecord."
        if config.batch_strategy is not None:
            issues.add(
                f"{path}.batch_strategy",
                config.batch_strategy,
                f"{content_type} is sent one object per request (SplitType None): no batch "
                "strategy applies (remove it, or choose a content type split by line or record)",
            )
        return None
    if config.batch_strategy is None:
        return spec.batch_strategies[0]
    strategy = BatchStrategy(config.batch_strategy)
    if strategy not in spec.batch_strategies:
        issues.add(
            f"{path}.batch_strategy",
            config.batch_strategy,
            f"{name} batch transform takes {allowed([s.value for s in spec.batch_strategies])}",
        )
    return strategy


def _check_payload(config: TransformConfig, path: str, issues: Issues) -> None:
    concurrent = config.max_concurrent_transforms
    if concurrent is not None and concurrent * config.max_payload_mb > MAX_PAYLOAD_MB:
        issues.add(
            f"{path}.max_concurrent_transforms",
            concurrent,
            f"times max_payload_mb ({config.max_payload_mb}) is over {MAX_PAYLOAD_MB} MB, "
            f"which CreateTransformJob refuses (allowed: at most "
            f"{MAX_PAYLOAD_MB // config.max_payload_mb})",
        )


def _join(config: TransformConfig, content_type: str, path: str, issues: Issues) -> JoinPlan | None:
    joinable = content_type in JOINABLE
    filters = [
        (key, value)
        for key, value in (
            ("input_filter", config.input_filter),
            ("output_filter", config.output_filter),
        )
        if value is not None
    ]
    if not joinable:
        if config.join_input:
            issues.add(
                f"{path}.join_input",
                True,
                f"batch transform joins CSV and JSON input only, not {content_type} "
                "(results are written per input object: the object name is the id)",
            )
        for key, value in filters:
            issues.add(
                f"{path}.{key}", value, f"filters apply to CSV and JSON input, not {content_type}"
            )
        return None
    if config.join_input is False:
        for key, value in filters:
            issues.add(f"{path}.{key}", value, "filters need join_input (true or unset)")
        return None
    default_in, default_out = CSV_FILTERS if content_type == CSV else JSON_FILTERS
    return JoinPlan(
        input_filter=config.input_filter or default_in,
        output_filter=config.output_filter or default_out,
    )
