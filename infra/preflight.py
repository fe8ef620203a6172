"""`python -m infra preflight CONFIG`: what a fresh account lacks, before a deploy finds out.

With each stage's credentials (the caller's, or the account's CDK lookup role:
`infra.aws_sessions`). Per stage: the CDK bootstrap stack and its version under the
stage's qualifier; its tuning jobs; the VPC, subnets and route tables of a network it
brings. Per account and region (`places`: quotas are the account's in a region, so the
stages sharing both add up; an environment-agnostic stage alone): the SageMaker instance
quotas for every instance type used in training, tuning, hosting and processing, the
serverless quotas, the Lambda concurrency the stream scorers reserve
(`infra.preflight_lambda`), the Kinesis shards their streams open. One table; exit
status 1 when something blocks, each blocker with the request that unblocks it. Never
run at synth or in tests against the network (tests use botocore's Stubber).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any, Protocol

from botocore.exceptions import ClientError

from infra.names import CDK_DEFAULT_QUALIFIER
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.models import eventually
from infra.plan.monitoring import MonitorPlan
from infra.plan.serverless import ServerlessPlan
from infra.plan.stages import StagePlan
from infra.plan.streaming import StreamingPlan, StreamingStagePlan
from infra.plan.tuning import TuningPlan

# The CDK's default stack synthesizer requires bootstrap version 6 for templates and
# assets, and 8 for the lookup role `models refresh` and this command assume
# (aws-cdk-lib default-synthesizer.ts: MIN_BOOTSTRAP_STACK_VERSION = 6,
# MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION = 8).
REQUIRED_BOOTSTRAP_VERSION = 8


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKED = "BLOCKED"


@dataclass(frozen=True, slots=True)
class Check:
    stage: str
    check: str
    status: Status
    detail: str
    fix: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """Stages whose quotas are one: SageMaker, Lambda and Kinesis quotas are per account
    and region, so stages sharing both share every quota. An environment-agnostic stage
    (no account or region) is a place of its own."""

    stages: tuple[StagePlan, ...]

    @property
    def label(self) -> str:
        """The stage's name; for several, the account and region and every stage's name."""
        if len(self.stages) == 1:
            return self.stages[0].name
        first = self.stages[0]
        return f"{first.account}/{first.region} ({', '.join(s.name for s in self.stages)})"


def places(stages: Iterable[StagePlan]) -> list[Place]:
    """The stages grouped by account and region, in the order each place first appears."""
    grouped: dict[object, list[StagePlan]] = {}
    for stage in stages:
        key = (stage.account, stage.region) if stage.account and stage.region else stage.name
        grouped.setdefault(key, []).append(stage)
    return [Place(tuple(group)) for group in grouped.values()]


def place_of(where: Place | StagePlan) -> Place:
    return where if isinstance(where, Place) else Place((where,))


def summed(needs: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[int, str]]:
    """Per quota, the needs of the place's stages added up, and (for several stages)
    each stage's part: `needs` maps each stage to its needs by quota name."""
    total: dict[str, int] = {}
    parts: dict[str, list[str]] = {}
    for stage, by_quota in needs.items():
        for name, count in by_quota.items():
            total[name] = total.get(name, 0) + count
            parts.setdefault(name, []).append(f"{stage} {count}")
    return {
        name: (count, f" ({' + '.join(parts[name])})" if len(needs) > 1 else "")
        for name, count in total.items()
    }


class Usage(StrEnum):
    """The quota families SageMaker counts instances in ("<type> for <usage> usage")."""

    TRAINING = "training job"
    SPOT_TRAINING = "spot training job"
    ENDPOINT = "endpoint"
    PROCESSING = "processing job"


def quota_name(instance_type: str, usage: Usage) -> str:
    return f"{instance_type} for {usage.value} usage"


def instance_needs(stage: StagePlan) -> dict[tuple[str, Usage], int]:
    """How many instances of each type and use the stage needs at once.

    A training or processing job must fit alone (the largest one: a tuning job runs
    `max_parallel_jobs` trainings together); endpoints all run at once, at their
    maximum (autoscaling) size, those still waiting for a model included, and twice
    that during a blue/green update (the new fleet starts before the old one stops:
    developer guide, "Use blue/green deployments").
    """
    needs: dict[tuple[str, Usage], int] = {}

    def at_least(key: tuple[str, Usage], count: int) -> None:
        needs[key] = max(needs.get(key, 0), count)

    for algorithm in stage.algorithms:
        training = algorithm.training
        usage = Usage.SPOT_TRAINING if training.spot else Usage.TRAINING
        parallel = (
            algorithm.tuning.max_parallel_jobs if isinstance(algorithm.tuning, TuningPlan) else 1
        )
        at_least((training.instance_type, usage), training.instance_count * parallel)
        if isinstance(algorithm.monitor, MonitorPlan):
            at_least((algorithm.monitor.instance_type, Usage.PROCESSING), 1)
    for hosted in stage.hosted:
        endpoint = eventually(hosted.endpoint)
        if not isinstance(endpoint, EndpointPlan):
            continue
        for variant in endpoint.fleet:
            count = endpoint.max_instances if variant is endpoint.main else variant.initial_count
            count *= 2  # blue and green fleets side by side while an update shifts traffic
            key = (variant.instance_type, Usage.ENDPOINT)
            needs[key] = needs.get(key, 0) + count
    for algorithm in stage.algorithms:  # asynchronous endpoints: the same instance quotas
        asynchronous = eventually(algorithm.async_endpoint)
        if isinstance(asynchronous, AsyncPlan):
            key = (asynchronous.instance_type, Usage.ENDPOINT)
            needs[key] = needs.get(key, 0) + asynchronous.scaling.max_instances * 2
    return dict(sorted(needs.items()))


# Account-wide serverless inference quotas (Service Quotas, SageMaker): new accounts
# start at 5 endpoints and a total MaxConcurrency of 10 across them.
SERVERLESS_ENDPOINTS_QUOTA = "Maximum number of serverless endpoints"
SERVERLESS_CONCURRENCY_QUOTA = (
    "Maximum total concurrency that can be allocated across all serverless endpoints"
)


def serverless_needs(stage: StagePlan) -> dict[str, int]:
    """The serverless quotas the stage's endpoints use, once all have their models."""
    endpoints = [
        s for h in stage.hosted if isinstance(s := eventually(h.serverless), ServerlessPlan)
    ]
    if not endpoints:
        return {}
    return {
        SERVERLESS_ENDPOINTS_QUOTA: len(endpoints),
        SERVERLESS_CONCURRENCY_QUOTA: sum(e.max_concurrency for e in endpoints),
    }


class Clients(Protocol):
    def __call__(self, service: str, stage: StagePlan) -> Any: ...


def _quotas(client: Any) -> dict[str, tuple[str, float]]:
    """SageMaker's quotas by name: (quota code, value)."""
    found = {}
    for page in client.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker"):
        for quota in page.get("Quotas", []):
            found[quota["QuotaName"]] = (quota["QuotaCode"], float(quota["Value"]))
    return found


def check_quotas(where: Place | StagePlan, quotas: Mapping[str, tuple[str, float]]) -> list[Check]:
    """Each SageMaker quota the place's stages need, added up, against its value in the
    account and region they share."""
    place = place_of(where)
    per_stage = {
        stage.name: {quota_name(t, usage): n for (t, usage), n in instance_needs(stage).items()}
        | serverless_needs(stage)
        for stage in place.stages
    }
    label = place.label
    checks = []
    for name, (needed, parts) in summed(per_stage).items():
        if name not in quotas:
            detail = f"needs {needed}{parts}; no such quota listed"
            checks.append(Check(label, name, Status.WARNING, detail))
            continue
        code, value = quotas[name]
        if value >= needed:
            checks.append(Check(label, name, Status.OK, f"{value:g} ≥ {needed}{parts}"))
            continue
        fix = (
            f"aws service-quotas request-service-quota-increase --service-code sagemaker "
            f"--quota-code {code} --desired-value {needed}"
        )
        checks.append(Check(label, name, Status.BLOCKED, f"{value:g} < {needed}{parts}", fix))
    return checks


def check_bootstrap(stage: StagePlan, ssm: Any, trust: str | None = None) -> Check:
    """The stage's bootstrap version; `trust`: the delivery pipeline's account, which a
    stage the pipeline deploys must trust (as `python -m infra bootstrap` prints)."""
    qualifier = stage.bootstrap_qualifier or CDK_DEFAULT_QUALIFIER
    parameter = f"/cdk-bootstrap/{qualifier}/version"
    where = f"aws://{stage.account}/{stage.region}" if stage.account else ""
    fix = " ".join(
        part
        for part in ("npx cdk bootstrap", where, stage.bootstrap_qualifier and "--qualifier")
        if part
    ) + (f" {qualifier}" if stage.bootstrap_qualifier else "")
    if trust is not None and stage.account:
        fix += (
            f" --trust {trust} --trust-for-lookup {trust} --cloudformation-execution-policies "
            "<the policies `python -m infra bootstrap` prints>"
        )
    try:
        version = int(ssm.get_parameter(Name=parameter)["Parameter"]["Value"])
    except ClientError as error:
        if error.response["Error"].get("Code") != "ParameterNotFound":
            raise
        return Check(stage.name, "CDK bootstrap", Status.BLOCKED, f"{parameter} missing", fix)
    if version < REQUIRED_BOOTSTRAP_VERSION:
        detail = f"{parameter} = {version} < {REQUIRED_BOOTSTRAP_VERSION}"
        return Check(stage.name, "CDK bootstrap", Status.BLOCKED, detail, fix)
    return Check(stage.name, "CDK bootstrap", Status.OK, f"{parameter} = {version}")


def scorer_of(stage: StagePlan) -> StreamingPlan | None:
    """The stream scorer the stage has, or will have once its RCF model is approved."""
    if stage.streaming is not None:
        return stage.streaming.plan
    waiting = stage.unscored.reason if stage.unscored is not None else None
    planned = eventually(waiting)
    return planned.plan if isinstance(planned, StreamingStagePlan) else None


def check_network(stage: StagePlan, ec2: Any) -> list[Check]:
    """A network the stage brings: its VPC, subnets (in their zones) and route tables."""
    network = stage.network
    vpc = network.imported_vpc_id
    if vpc is None:
        return []
    try:
        ec2.describe_vpcs(VpcIds=[vpc])
    except ClientError as error:
        code = error.response["Error"].get("Code", "")
        return [Check(stage.name, f"VPC {vpc}", Status.BLOCKED, code, "fix network.vpc_id")]
    checks = [Check(stage.name, f"VPC {vpc}", Status.OK, "exists")]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
    zones = {
        s["SubnetId"]: s["AvailabilityZone"]
        for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"]
    }
    for subnet in network.subnets:
        zone = zones.get(subnet.id)
        if zone == subnet.availability_zone:
            checks.append(Check(stage.name, f"subnet {subnet.id}", Status.OK, zone))
            continue
        detail = f"not in {vpc}" if zone is None else f"in {zone}, not {subnet.availability_zone}"
        checks.append(
            Check(stage.name, f"subnet {subnet.id}", Status.BLOCKED, detail, "fix network.subnets")
        )
    wanted = [s.route_table_id for s in network.subnets if s.route_table_id and network.endpoints]
    if wanted:
        tables = ec2.describe_route_tables(Filters=in_vpc)["RouteTables"]
        known = {t["RouteTableId"] for t in tables}
        for table in wanted:
            if table in known:
                checks.append(Check(stage.name, f"route table {table}", Status.OK, "exists"))
            else:
                fix = "fix network.subnets[].route_table_id"
                checks.append(
                    Check(stage.name, f"route table {table}", Status.BLOCKED, f"not in {vpc}", fix)
                )
    return checks


def preflight(
    stages: Iterable[StagePlan], clients: Clients, trust: str | None = None
) -> list[Check]:
    """Every check: per stage its bootstrap, tuning and network; per account and region
    (`places`) the quotas its stages share, their needs added up. `trust`: the delivery
    pipeline's account, if any."""
    # The checks of counts whose limit is a quota (issue 20) live beside this module.
    from infra.preflight_lambda import check_lambda
    from infra.preflight_limits import check_api_throttle, check_kinesis, check_tuning_quotas

    checks: list[Check] = []
    for place in places(stages):
        first = place.stages[0]  # any stage's credentials read the account and region
        quotas = _quotas(clients("service-quotas", first))
        for stage in place.stages:
            checks.append(check_bootstrap(stage, clients("ssm", stage), trust))
        checks += check_quotas(place, quotas)
        for stage in place.stages:
            checks += check_tuning_quotas(stage, quotas)
        if (concurrency := check_lambda(place, clients)) is not None:
            checks.append(concurrency)
        if any(scorer_of(s) is not None for s in place.stages):
            kinesis = clients("kinesis", first)
            deployed = partial(_deployed_stream, clients=clients, kinesis=kinesis)
            checks.append(check_kinesis(place, kinesis, deployed))
        for stage in place.stages:
            if (
                api := check_api_throttle(stage, partial(clients, "apigateway", stage))
            ) is not None:
                checks.append(api)
            checks += check_network(stage, clients("ec2", stage))
    return checks


def render(checks: list[Check]) -> str:
    header = ("stage", "check", "status", "detail")
    rows = [(c.stage, c.check, c.status.value, c.detail) for c in checks]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    lines = [
        " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in (header, *rows)
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    fixes = [
        f"{c.stage}: {c.check}: {c.fix}" for c in checks if c.status is Status.BLOCKED and c.fix
    ]
    if fixes:
        lines += ["", "To unblock:", *fixes]
    return "\n".join(lines) + "\n"


def _deployed_stream(stage: StagePlan, *, clients: Clients, kinesis: Any) -> Any:
    """The stage's deployed input stream (`preflight_limits.deployed_stream`)."""
    from infra.preflight_limits import deployed_stream

    return deployed_stream(stage, clients("cloudformation", stage), kinesis)
