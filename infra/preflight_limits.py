"""Preflight for the counts whose AWS limit is an account quota, not an API maximum
(`infra.catalog.limits`): a tuning job's parallel trainings and Random-search budget,
the Kinesis shards a provisioned stream opens, and the API Gateway throttle an endpoint's
API asks for. Each reads the account's own value where AWS publishes one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from infra.catalog.limits import (
    TUNING_DEFAULT_PARALLEL_JOBS,
    TUNING_MAX_JOBS,
    TUNING_PARALLEL_JOBS_QUOTA,
    TUNING_RANDOM_JOBS_QUOTA,
)
from infra.plan.endpoint import EndpointPlan
from infra.plan.models import eventually
from infra.plan.stages import StagePlan
from infra.plan.tuning import TuningPlan
from infra.preflight import Check, Status, scorer_of


def _quota(quotas: Mapping[str, tuple[str, float]], *words: str) -> tuple[str, float] | None:
    """The SageMaker quota whose name holds all of `words` (case-insensitive)."""
    for name, found in sorted(quotas.items()):
        if all(w.lower() in name.lower() for w in words):
            return found
    return None


def check_tuning_quotas(stage: StagePlan, quotas: Mapping[str, tuple[str, float]]) -> list[Check]:
    """Tuning jobs above the defaults (10 parallel trainings; 750 jobs for Random search,
    raisable to 10,000: DG:automatic-model-tuning-limits) against the account's quotas."""
    checks = []
    for algorithm in stage.algorithms:
        tuning = algorithm.tuning
        if not isinstance(tuning, TuningPlan):
            continue
        wanted = []
        if tuning.max_parallel_jobs > TUNING_DEFAULT_PARALLEL_JOBS:
            wanted.append(
                (TUNING_PARALLEL_JOBS_QUOTA, tuning.max_parallel_jobs, TUNING_DEFAULT_PARALLEL_JOBS)
            )
        if tuning.strategy == "Random" and tuning.max_jobs > TUNING_MAX_JOBS:
            wanted.append(
                (f"[Random] {TUNING_RANDOM_JOBS_QUOTA}", tuning.max_jobs, TUNING_MAX_JOBS)
            )
        for quota, needed, default in wanted:
            name = f"{algorithm.name}: {quota}"
            found = _quota(quotas, *quota.replace("[", "").replace("]", "").split())
            if found is None:
                detail = f"needs {needed}, default {default}; not listed: ask AWS Support"
                checks.append(Check(stage.name, name, Status.WARNING, detail))
                continue
            code, value = found
            if value >= needed:
                checks.append(Check(stage.name, name, Status.OK, f"{value:g} ≥ {needed}"))
                continue
            fix = (
                "aws service-quotas request-service-quota-increase --service-code sagemaker "
                f"--quota-code {code} --desired-value {needed}"
            )
            checks.append(Check(stage.name, name, Status.BLOCKED, f"{value:g} < {needed}", fix))
    return checks


def check_kinesis(stage: StagePlan, kinesis: Any) -> Check:
    """The stream the scorer reads against the account's shard and on-demand stream limits
    (Kinesis DescribeLimits). Streams this stage already deployed count as open."""
    scorer = scorer_of(stage)
    assert scorer is not None, "only for a stage with a stream scorer"
    limits = kinesis.describe_limits()
    check = "Kinesis stream"
    if scorer.stream_mode == "provisioned":
        shards = scorer.shards or 1
        open_, limit = int(limits["OpenShardCount"]), int(limits["ShardLimit"])
        detail = f"{open_} open + {shards} shards of {limit}"
    else:
        open_, limit = int(limits["OnDemandStreamCount"]), int(limits["OnDemandStreamCountLimit"])
        shards = 1
        detail = f"{open_} on-demand streams + 1 of {limit}"
    if open_ + shards <= limit:
        return Check(stage.name, check, Status.OK, detail)
    fix = (
        "raise the Kinesis Data Streams quota in the Service Quotas console "
        f"(to at least {open_ + shards}), or lower streaming.stream.shards"
    )
    return Check(stage.name, check, Status.BLOCKED, detail, fix)


def check_api_throttle(stage: StagePlan, apigateway: Callable[[], Any]) -> Check | None:
    """Endpoint APIs' throttles against the account's API Gateway throttle (GetAccount):
    a stage's limits above the account's are cut to it. `apigateway` makes the client,
    only for a stage with an API."""
    apis = [
        (hosted.name, e.api)
        for hosted in stage.hosted
        if isinstance(e := eventually(hosted.endpoint), EndpointPlan) and e.api is not None
    ]
    if not apis:
        return None
    throttle = apigateway().get_account().get("throttleSettings", {})
    rate, burst = float(throttle.get("rateLimit", 0)), int(throttle.get("burstLimit", 0))
    over = [
        f"{name} asks {api.throttle_rate_per_second}/s burst {api.throttle_burst}"
        for name, api in apis
        if api.throttle_rate_per_second > rate or api.throttle_burst > burst
    ]
    detail = f"account: {rate:g}/s burst {burst}"
    if not over:
        return Check(stage.name, "API Gateway throttle", Status.OK, detail)
    fix = "lower endpoint.api throttles, or ask AWS Support to raise the account's throttle"
    return Check(
        stage.name, "API Gateway throttle", Status.BLOCKED, f"{detail}; {'; '.join(over)}", fix
    )
