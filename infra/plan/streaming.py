"""Streaming decisions: the stream, the features records carry, threshold, scorer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from infra.catalog import CATALOG
from infra.catalog.limits import POWERTOOLS_LAYER_UNPUBLISHED
from infra.catalog.model import HostingSpec, NotSupported
from infra.config.streaming import StreamingConfig
from infra.errors import NO_VALUE
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan
from infra.plan.issues import Issues
from infra.plan.models import Waiting, eventually
from infra.plan.skipped import Skipped


@dataclass(frozen=True, slots=True)
class StreamingPlan:
    """This algorithm's real-time endpoint scores the stage's Kinesis stream."""

    endpoint_instance_type: str
    stream_mode: str = "on-demand"
    shards: int | None = None  # provisioned only
    retention_hours: int = 24
    feature_format: str = "json"
    feature_fields: tuple[str, ...] = ("value",)  # json
    feature_columns: tuple[int, ...] = ()  # csv
    threshold_fixed: float | None = None
    threshold_k: float = 3.0
    score_mean: float = 1.0
    score_std: float = 0.5
    memory_mb: int = 512
    timeout_seconds: int = 60
    reserved_concurrency: int | None = None
    batch_size: int = 1000
    batching_window_seconds: int = 1
    parallelization_factor: int = 1
    starting_position: str = "LATEST"
    retry_attempts: int = 3
    max_record_age_seconds: int = 3600
    anomalies: str = "eventbridge"

    @property
    def threshold(self) -> float:
        """A score above this is an anomaly: fixed, or mean + k·std of the model's scores."""
        if self.threshold_fixed is not None:
            return self.threshold_fixed
        return self.score_mean + self.threshold_k * self.score_std


@dataclass(frozen=True, slots=True)
class StreamingStagePlan:
    """The stage's stream, scored by one algorithm's real-time endpoint."""

    scorer: str  # the algorithm whose stack holds the endpoint
    # The scorer's EndpointPlan.name_digest: with the stage prefix and the scorer, the
    # endpoint's name (the scorer names the endpoint, it does not reference it).
    endpoint_digest: str
    plan: StreamingPlan


@dataclass(frozen=True, slots=True)
class UnscoredStream:
    """The algorithm picked to score the stream, and why it does not: its endpoint waits
    for a model (`Waiting`, planned: the StreamingStagePlan), or streaming is off."""

    scorer: str
    reason: Skipped


STREAM_SCORERS: tuple[str, ...] = tuple(
    a.name
    for a in CATALOG.values()
    if isinstance(a.hosting, HostingSpec) and a.hosting.stream_scoring
)


def plan_stage_streaming(
    plans: Sequence[AlgorithmPlan],
    config: StreamingConfig,
    region: str | None,
    path: str,
    issues: Issues,
) -> StreamingStagePlan | UnscoredStream | None:
    """The stage's stream, given to the first stream-scoring algorithm (in config order)
    with a real-time endpoint; None when no algorithm of the stage can score it."""
    enabled = config.enabled
    scorer = next(
        (
            p
            for p in plans
            if p.name in STREAM_SCORERS and isinstance(eventually(p.endpoint), EndpointPlan)
        ),
        None,
    )
    if enabled is False or scorer is None:
        if enabled and scorer is None:
            scorers = " or ".join(STREAM_SCORERS)
            issues.add(
                f"{path}.enabled",
                True,
                f"streaming needs {scorers} enabled with its real-time endpoint",
            )
        if scorer is None:
            return None
        return UnscoredStream(scorer.name, NotSupported("streaming is off for this stage"))
    if region in POWERTOOLS_LAYER_UNPUBLISHED:
        # The scorer's Powertools layer is resolved from a public SSM parameter that is
        # not published there: the deploy would fail on the parameter.
        issues.add(
            f"{path}.enabled",
            enabled if enabled is not None else NO_VALUE,
            f"the stream scorer's Powertools layer is not published in {region}; set "
            "streaming.enabled: false for this stage",
        )
    endpoint = eventually(scorer.endpoint)
    assert isinstance(endpoint, EndpointPlan)  # chosen above for it
    stream = StreamingStagePlan(
        scorer=scorer.name,
        endpoint_digest=endpoint.name_digest,
        plan=plan_streaming(config, scorer, endpoint, path, issues),
    )
    if isinstance(scorer.endpoint, Waiting):
        # The scorer calls the endpoint: it comes with the endpoint's model.
        return UnscoredStream(scorer.name, scorer.endpoint.of(stream))
    return stream


def plan_streaming(
    config: StreamingConfig,
    scorer: AlgorithmPlan,
    endpoint: EndpointPlan,
    path: str,
    issues: Issues,
) -> StreamingPlan:
    features = config.features
    if features.format == "json":
        if features.columns is not None:
            issues.add(
                f"{path}.features.columns",
                features.columns,
                "for csv records; JSON records use fields",
            )
        fields, columns = tuple(features.fields or ("value",)), ()
        count = len(fields)
    else:
        if features.fields is not None:
            issues.add(
                f"{path}.features.fields",
                features.fields,
                "for json records; CSV records use columns",
            )
        fields, columns = (), tuple(features.columns or (0,))
        count = len(columns)
    hosting = scorer.algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    feature_count = hosting.feature_count_hyperparameter
    expected = scorer.training.hyperparameter_map.get(feature_count) if feature_count else None
    if expected is not None and str(count) != expected:
        issues.add(
            f"{path}.features",
            NO_VALUE,
            f"{count} feature(s) per record, but {scorer.name} is trained with "
            f"{feature_count} {expected}",
        )
    stream = config.stream
    if stream.mode == "on-demand" and "shards" in stream.model_fields_set:
        issues.add(f"{path}.stream.shards", stream.shards, "only with mode: provisioned")
    scorer_config = config.scorer
    return StreamingPlan(
        endpoint_instance_type=endpoint.instance_type,
        stream_mode=stream.mode,
        shards=stream.shards if stream.mode == "provisioned" else None,
        retention_hours=stream.retention_hours,
        feature_format=features.format,
        feature_fields=fields,
        feature_columns=columns,
        threshold_fixed=config.threshold.fixed,
        threshold_k=config.threshold.k,
        score_mean=config.threshold.mean,
        score_std=config.threshold.std,
        memory_mb=scorer_config.memory_mb,
        timeout_seconds=scorer_config.timeout_seconds,
        reserved_concurrency=scorer_config.reserved_concurrency,
        batch_size=scorer_config.batch_size,
        batching_window_seconds=scorer_config.batching_window_seconds,
        parallelization_factor=scorer_config.parallelization_factor,
        starting_position=scorer_config.starting_position,
        retry_attempts=scorer_config.retry_attempts,
        max_record_age_seconds=scorer_config.max_record_age_seconds,
        anomalies=config.anomalies,
    )
