"""Bad configs, counts: every count stops at AWS's limit (infra/catalog/limits.py, where
each is sourced). At the limit the config plans; one past it gives exactly one line; and
hypothesis walks each count across its range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.catalog import limits
from tests.config_errors import P, errors_for, stage


@dataclass(frozen=True)
class Count:
    """A count at `key` (dotted, under the stage) inside the config `build` makes."""

    key: str
    lowest: int
    limit: int
    build: Callable[[int], dict]
    # The line one past the limit, when it is not pydantic's "must be at most".
    message: str | None = None

    def text(self, value: int) -> str:
        return yaml.safe_dump({"stages": {"dev": self.build(value)}})

    def over(self) -> str:
        return self.message or f"must be at most {self.limit}"


def kmeans(section: str, body: Callable[[int], dict]) -> Callable[[int], dict]:
    return lambda n: {"algorithms": {"kmeans": {section: body(n)}}}


def xgboost(section: str, body: Callable[[int], dict]) -> Callable[[int], dict]:
    return lambda n: {"algorithms": {"xgboost": {section: body(n)}}}


def streaming(part: str, key: str, **more: object) -> Callable[[int], dict]:
    return lambda n: {
        "algorithms": {"randomcutforest": {}},
        "streaming": {part: {key: n, **more}},
    }


def deployment(key: str, **more: object) -> Callable[[int], dict]:
    return kmeans("endpoint", lambda n: {"deployment": {key: n, **more}})


def random_search(n: int) -> dict:
    return {"enabled": True, "strategy": "Random", "max_jobs": n, "max_parallel_jobs": 1}


COUNTS = [
    Count(
        "algorithms.xgboost.training.instance_count",
        1,
        limits.TRAINING_MAX_INSTANCES,
        xgboost("training", lambda n: {"instance_count": n}),
    ),
    Count(
        "algorithms.xgboost.training.volume_size_gb",
        1,
        limits.TRAINING_MAX_VOLUME_GB,
        xgboost("training", lambda n: {"volume_size_gb": n}),
    ),
    Count(
        "algorithms.xgboost.training.max_wait_seconds",
        86401,
        limits.API_INTEGER_MAX,
        xgboost("training", lambda n: {"spot": True, "max_wait_seconds": n}),
    ),
    Count(
        "algorithms.xgboost.tuning.max_jobs",
        1,
        limits.TUNING_MAX_JOBS_RANDOM,
        xgboost("tuning", random_search),
    ),
    Count(
        "algorithms.xgboost.tuning.max_jobs",
        1,
        limits.TUNING_MAX_JOBS,
        xgboost("tuning", lambda n: {"enabled": True, "max_jobs": n, "max_parallel_jobs": 1}),
        "Bayesian search runs at most 750 training jobs; only Random search goes further, "
        "up to 10000 with a raised quota",
    ),
    Count(
        "algorithms.xgboost.tuning.max_parallel_jobs",
        1,
        limits.TUNING_MAX_PARALLEL_JOBS,
        xgboost("tuning", lambda n: {"enabled": True, "max_jobs": 750, "max_parallel_jobs": n}),
    ),
    Count(
        "algorithms.kmeans.endpoint.max_instances",
        1,
        limits.ENDPOINT_MAX_INSTANCES,
        kmeans("endpoint", lambda n: {"max_instances": n}),
    ),
    Count(
        "algorithms.kmeans.endpoint.min_instances",
        1,
        limits.ENDPOINT_MAX_INSTANCES,
        kmeans(
            "endpoint",
            lambda n: {"min_instances": n, "max_instances": limits.ENDPOINT_MAX_INSTANCES},
        ),
    ),
    Count(
        "algorithms.kmeans.endpoint.variants.0.instance_count",
        1,
        limits.ENDPOINT_MAX_INSTANCES,
        kmeans(
            "endpoint",
            lambda n: {
                "variants": [
                    {"name": "b", "model_uri": "s3://bucket/b/model.tar.gz", "instance_count": n}
                ],
                "model_uri": "s3://bucket/a/model.tar.gz",
            },
        ),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.rollback_5xx_errors",
        1,
        limits.ROLLBACK_MAX_5XX_ERRORS,
        deployment("rollback_5xx_errors"),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.rollback_model_latency_ms",
        1,
        limits.ROLLBACK_MAX_MODEL_LATENCY_MS,
        deployment("rollback_model_latency_ms"),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.canary_percent",
        1,
        limits.DEPLOYMENT_MAX_CANARY_PERCENT,
        deployment("canary_percent"),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.linear_step_percent",
        10,
        limits.DEPLOYMENT_LINEAR_STEP_PERCENT[1],
        deployment("linear_step_percent", traffic="LINEAR"),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.termination_wait_seconds",
        0,
        limits.DEPLOYMENT_MAX_WAIT_SECONDS,
        deployment("termination_wait_seconds"),
    ),
    Count(
        "algorithms.kmeans.endpoint.deployment.max_execution_seconds",
        3600,
        limits.DEPLOYMENT_MAX_EXECUTION_SECONDS,
        deployment("max_execution_seconds"),
    ),
    Count(
        "algorithms.kmeans.endpoint.scale_in_cooldown_seconds",
        0,
        limits.SCALING_MAX_COOLDOWN_SECONDS,
        kmeans("endpoint", lambda n: {"scale_in_cooldown_seconds": n}),
    ),
    Count(
        "algorithms.kmeans.endpoint.api.throttle_rate_per_second",
        1,
        limits.API_MAX_RATE_PER_SECOND,
        kmeans("endpoint", lambda n: {"api": {"enabled": True, "throttle_rate_per_second": n}}),
    ),
    Count(
        "algorithms.kmeans.endpoint.api.throttle_burst",
        1,
        limits.API_MAX_BURST,
        kmeans("endpoint", lambda n: {"api": {"enabled": True, "throttle_burst": n}}),
    ),
    Count(
        "algorithms.kmeans.serverless.max_concurrency",
        1,
        limits.SERVERLESS_MAX_CONCURRENCY,
        kmeans("serverless", lambda n: {"enabled": True, "max_concurrency": n}),
    ),
    Count(
        "algorithms.kmeans.monitoring.sampling_percent",
        1,
        limits.MAX_SAMPLING_PERCENT,
        kmeans("monitoring", lambda n: {"sampling_percent": n}),
    ),
    Count(
        "streaming.stream.shards",
        1,
        limits.KINESIS_MAX_SHARDS,
        streaming("stream", "shards", mode="provisioned"),
    ),
    Count(
        "streaming.stream.retention_hours",
        24,
        limits.KINESIS_MAX_RETENTION_HOURS,
        streaming("stream", "retention_hours"),
    ),
    Count(
        "streaming.scorer.batch_size",
        1,
        limits.KINESIS_MAX_BATCH_SIZE,
        streaming("scorer", "batch_size"),
    ),
    Count(
        "streaming.scorer.parallelization_factor",
        1,
        limits.MAX_PARALLELIZATION_FACTOR,
        streaming("scorer", "parallelization_factor"),
    ),
    Count(
        "streaming.scorer.retry_attempts",
        0,
        limits.MAX_RETRY_ATTEMPTS,
        streaming("scorer", "retry_attempts"),
    ),
    Count(
        "streaming.scorer.max_record_age_seconds",
        60,
        limits.MAX_RECORD_AGE_SECONDS,
        streaming("scorer", "max_record_age_seconds"),
    ),
    Count(
        "streaming.scorer.memory_mb",
        128,
        limits.LAMBDA_MAX_MEMORY_MB,
        streaming("scorer", "memory_mb"),
    ),
    Count(
        "retention.capture_days",
        1,
        limits.API_INTEGER_MAX,
        lambda n: {"algorithms": {"kmeans": None}, "retention": {"capture_days": n}},
    ),
    Count(
        "retention.noncurrent_versions_days",
        1,
        limits.API_INTEGER_MAX,
        lambda n: {"algorithms": {"kmeans": None}, "retention": {"noncurrent_versions_days": n}},
    ),
]
ids = [f"{c.key}<={c.limit}" for c in COUNTS]


@pytest.mark.parametrize("count", COUNTS, ids=ids)
def test_a_count_at_its_limit_plans(count: Count) -> None:
    assert errors_for(count.text(count.limit)) == []


@pytest.mark.parametrize("count", COUNTS, ids=ids)
def test_one_past_the_limit_gives_one_line(count: Count) -> None:
    value = count.limit + 1
    assert errors_for(count.text(value)) == [f"{P}.{count.key}: {value} — {count.over()}"]


def test_the_fsx_limit_is_the_default_storage_quota() -> None:
    at = stage({"fsx": {"storage_capacity_gib": limits.FSX_MAX_STORAGE_GIB}})
    over = stage({"fsx": {"storage_capacity_gib": limits.FSX_MAX_STORAGE_GIB + 2400}})
    assert errors_for(at) == []
    assert errors_for(over) == [f"{P}.fsx.storage_capacity_gib: 103200 — must be at most 100800"]


LISTS = [
    (
        "tuning ranges",
        {
            "algorithms": {
                "kmeans": {"tuning": {"ranges": {f"r{i}": {"values": ["a"]} for i in range(31)}}}
            }
        },
        "algorithms.kmeans.tuning.ranges — takes at most 30 entries (31 given)",
    ),
    (
        "categorical values",
        {
            "algorithms": {
                "kmeans": {
                    "tuning": {
                        "ranges": {
                            "init_method": {"values": list("abcdefghijklmnopqrstuvwxyzABCDE")}
                        }
                    }
                }
            }
        },
        "algorithms.kmeans.tuning.ranges.init_method.values — takes at most 30 entries (31 given)",
    ),
    (
        "metric definitions",
        {
            "algorithms": {
                "reinforcement-learning": {
                    "tuning": {"metric_definitions": {f"m{i}": "m: ([0-9.]+)" for i in range(21)}}
                }
            }
        },
        "algorithms.reinforcement-learning.tuning.metric_definitions — takes at most 20 entries "
        "(21 given)",
    ),
    (
        "variants",
        {
            "algorithms": {
                "kmeans": {"endpoint": {"variants": [{"name": f"v{i}"} for i in range(10)]}}
            }
        },
        "algorithms.kmeans.endpoint.variants — takes at most 9 entries (10 given)",
    ),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in LISTS], ids=[c[0] for c in LISTS])
def test_lists_past_their_limit_give_one_line_with_the_count(body: dict, expected: str) -> None:
    assert errors_for(yaml.safe_dump({"stages": {"dev": body}})) == [f"{P}.{expected}"]


@st.composite
def counts(draw: st.DrawFn) -> tuple[Count, int]:
    count = draw(st.sampled_from(COUNTS))
    span = count.limit - count.lowest
    value = draw(
        st.one_of(
            st.integers(count.lowest, count.limit + max(10, span // 10)),
            st.sampled_from([count.lowest, count.limit, count.limit + 1]),
        )
    )
    return count, value


@settings(max_examples=120, deadline=None, derandomize=True)
@given(counts())
def test_counts_across_their_range_plan_or_give_the_limit(case: tuple[Count, int]) -> None:
    count, value = case
    lines = errors_for(count.text(value))
    if value <= count.limit:
        assert lines == []
    else:
        assert lines == [f"{P}.{count.key}: {value} — {count.over()}"]
