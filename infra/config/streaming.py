"""Stream scoring: the Kinesis stream, where features are, the threshold and the scorer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import (
    KINESIS_MAX_BATCH_SIZE,
    KINESIS_MAX_RETENTION_HOURS,
    KINESIS_MAX_SHARDS,
    KINESIS_MIN_RETENTION_HOURS,
    LAMBDA_DEFAULT_CONCURRENCY,
    LAMBDA_MAX_MEMORY_MB,
    LAMBDA_MAX_TIMEOUT_SECONDS,
    LAMBDA_MIN_MEMORY_MB,
    LAMBDA_MIN_UNRESERVED_CONCURRENCY,
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_PARALLELIZATION_FACTOR,
    MAX_RECORD_AGE_SECONDS,
    MAX_RETRY_ATTEMPTS,
    MIN_RECORD_AGE_SECONDS,
)
from infra.config.fields import Strict


class StreamConfig(Strict):
    """The Kinesis data stream records arrive on."""

    mode: Literal["on-demand", "provisioned"] = "on-demand"
    shards: Annotated[int, Field(ge=1, le=KINESIS_MAX_SHARDS)] = 1  # provisioned only
    retention_hours: Annotated[
        int, Field(ge=KINESIS_MIN_RETENTION_HOURS, le=KINESIS_MAX_RETENTION_HOURS)
    ] = 24


class FeaturesConfig(Strict):
    """Where each record's features are: JSON fields, or CSV column indexes."""

    format: Literal["json", "csv"] = "json"
    fields: Annotated[list[str], Field(min_length=1)] | None = None
    columns: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1)] | None = None


class ThresholdConfig(Strict):
    """An anomaly is a score above `fixed`, or above mean + k·std of the model's scores."""

    fixed: Annotated[float, Field(gt=0)] | None = None
    k: Annotated[float, Field(gt=0)] = 3.0
    # The model's score distribution (e.g. from scoring its training data).
    mean: Annotated[float, Field(ge=0)] = 1.0
    std: Annotated[float, Field(ge=0)] = 0.5


class ScorerConfig(Strict):
    """The Lambda and its Kinesis event source mapping."""

    memory_mb: Annotated[int, Field(ge=LAMBDA_MIN_MEMORY_MB, le=LAMBDA_MAX_MEMORY_MB)] = 512
    timeout_seconds: Annotated[int, Field(ge=10, le=LAMBDA_MAX_TIMEOUT_SECONDS)] = 60
    # Unset (the default): the scorer shares the account's unreserved concurrency. New
    # accounts may hold as few as 10, all of which Lambda keeps unreserved, so any
    # reservation fails there (`python -m infra preflight` checks the account).
    reserved_concurrency: (
        Annotated[
            int, Field(ge=1, le=LAMBDA_DEFAULT_CONCURRENCY - LAMBDA_MIN_UNRESERVED_CONCURRENCY)
        ]
        | None
    ) = None
    batch_size: Annotated[int, Field(ge=1, le=KINESIS_MAX_BATCH_SIZE)] = 1000
    batching_window_seconds: Annotated[int, Field(ge=0, le=MAX_BATCHING_WINDOW_SECONDS)] = 1
    parallelization_factor: Annotated[int, Field(ge=1, le=MAX_PARALLELIZATION_FACTOR)] = 1
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = "LATEST"
    # AWS's defaults are infinite: one poison record would block a shard for a week.
    retry_attempts: Annotated[int, Field(ge=0, le=MAX_RETRY_ATTEMPTS)] = 3
    max_record_age_seconds: Annotated[
        int, Field(ge=MIN_RECORD_AGE_SECONDS, le=MAX_RECORD_AGE_SECONDS)
    ] = 3600


class StreamingConfig(Strict):
    """Kinesis → Lambda → Random Cut Forest anomaly scoring.

    Unset: on when the stage hosts an algorithm that can score streams.
    """

    enabled: bool | None = None
    stream: StreamConfig = StreamConfig()
    features: FeaturesConfig = FeaturesConfig()
    threshold: ThresholdConfig = ThresholdConfig()
    scorer: ScorerConfig = ScorerConfig()
    # Where anomalies go: an EventBridge bus or a second Kinesis stream.
    anomalies: Literal["eventbridge", "kinesis"] = "eventbridge"
