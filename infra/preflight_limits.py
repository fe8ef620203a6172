"""Preflight for the counts whose AWS limit is an account quota, not an API maximum
(`infra.catalog.limits`): a tuning job's parallel trainings and Random-search budget,
the Kinesis shards a provisioned stream opens, and the API Gateway throttle an endpoint's
API asks for. Each reads the account's own value where AWS publishes one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from infra.catalog.limits import (
    TUNING_DEFAULT_PARALLEL_JOBS,
    TUNING_MAX_JOBS,
    TUNING_PARALLEL_JOBS_QUOTA,
    TUNING_RANDOM_JOBS_QUOTA,
)
from infra.names import STREAM_OUTPUT
from infra.plan.endpoint import EndpointPlan
from infra.plan.models import eventually
from infra.plan.stages import StagePlan
from infra.plan.tuning import TuningPlan
from infra.preflight import Check, Place, Status, place_of, scorer_of
from infra.preflight_lambda import streaming_outputs


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


@dataclass(frozen=True, slots=True)
class DeployedStream:
    """A scorer's input stream as deployed now: its mode and open shards."""

    mode: str  # "provisioned" or "on-demand", as the config spells them
    shards: int


def deployed_stream(stage: StagePlan, cloudformation: Any, kinesis: Any) -> DeployedStream | None:
    """The stage's deployed input stream (its streaming stack's `StreamName` output,
    then Kinesis DescribeStreamSummary, access level Read); None before it exists."""
    name = streaming_outputs(stage, cloudformation).get(STREAM_OUTPUT)
    if name is None:
        return None
    try:
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    except ClientError as error:
        if error.response["Error"].get("Code") != "ResourceNotFoundException":
            raise
        return None
    mode = summary.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED")
    return DeployedStream(
        "provisioned" if mode == "PROVISIONED" else "on-demand", int(summary["OpenShardCount"])
    )


def check_kinesis(
    where: Place | StagePlan,
    kinesis: Any,
    deployed: Callable[[StagePlan], DeployedStream | None] | None = None,
) -> Check:
    """The streams the place's scorers read, added up, against the account's shard and
    on-demand stream limits in that region (Kinesis DescribeLimits). The account's open
    counts include this app's streams once deployed (`deployed` reads them): those are
    taken out first, so a re-run does not count them twice."""
    place = place_of(where)
    scorers = [(s, scorer) for s in place.stages if (scorer := scorer_of(s)) is not None]
    assert scorers, "only for a place with a stream scorer"
    limits = kinesis.describe_limits()
    held = [d for s, _ in scorers if deployed and (d := deployed(s)) is not None]
    several = len(scorers) > 1
    provisioned = [(s.name, p.shards or 1) for s, p in scorers if p.stream_mode == "provisioned"]
    on_demand = [s.name for s, p in scorers if p.stream_mode != "provisioned"]
    details, over = [], []
    if provisioned:
        shards = sum(n for _, n in provisioned)
        ours = sum(d.shards for d in held if d.mode == "provisioned")
        open_ = int(limits["OpenShardCount"]) - ours
        limit = int(limits["ShardLimit"])
        parts = f" ({' + '.join(f'{s} {n}' for s, n in provisioned)})" if several else ""
        mine = f" (besides this app's {ours})" if ours else ""
        details.append(f"{open_} open{mine} + {shards} shards{parts} of {limit}")
        if open_ + shards > limit:
            over.append(f"the shard limit to at least {open_ + shards}")
    if on_demand:
        streams = len(on_demand)
        ours = sum(1 for d in held if d.mode == "on-demand")
        open_ = int(limits["OnDemandStreamCount"]) - ours
        limit = int(limits["OnDemandStreamCountLimit"])
        parts = f" ({', '.join(on_demand)})" if several else ""
        mine = f" (besides this app's {ours})" if ours else ""
        details.append(f"{open_} on-demand streams{mine} + {streams}{parts} of {limit}")
        if open_ + streams > limit:
            over.append(f"the on-demand stream limit to at least {open_ + streams}")
    check, detail = "Kinesis stream", "; ".join(details)
    if not over:
        return Check(place.label, check, Status.OK, detail)
    fix = (
        f"raise {' and '.join(over)} in the Service Quotas console (Kinesis Data Streams), "
        "or lower streaming.stream.shards"
    )
    return Check(place.label, check, Status.BLOCKED, detail, fix)


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
