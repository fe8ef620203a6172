"""Streaming decisions: the stream, the features records carry, threshold, scorer."""

from __future__ import annotations

from infra.catalog.model import HostingSpec
from infra.config.model import StreamingConfig
from infra.errors import NO_VALUE
from infra.plan.issues import Issues
from infra.plan.model import AlgorithmPlan, EndpointPlan, StreamingPlan


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
