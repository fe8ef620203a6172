"""The idle cost floor: what a stage's endpoints cost a month with no traffic at all.

A real-time endpoint keeps its main variant's minimum instance count (averaged over a
year when an off-hours schedule changes it), every A/B variant's and the shadow's
instance count, day and night: `instances x 730 h x on-demand price` (prices:
`infra.catalog.prices`). A serverless endpoint costs nothing idle, unless it keeps
provisioned concurrency (priced per hour, not in the price table: unknown). Only
SageMaker endpoint instances are counted; the stage's FSx file system, interface VPC
endpoints, Kinesis shards and KMS key cost money idle too and are not in this floor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from infra.catalog.model import HostingSpec, NotSupported
from infra.catalog.prices import HOURS_PER_MONTH, PRICED_REGIONS, hourly_price
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan, HostedPlan
from infra.plan.models import Waiting, eventually
from infra.plan.schedule import average_minimum
from infra.plan.serverless import ServerlessPlan
from infra.plan.stages import StagePlan


@dataclass(frozen=True, slots=True)
class IdleCapacity:
    """Capacity kept with no traffic: `count` (a yearly average) of `what`, an instance
    type, or something the price table cannot price."""

    what: str
    count: float


@dataclass(frozen=True, slots=True)
class IdleFloor:
    """At one region's prices: the priced part a month, and what has no sourced price."""

    usd_per_month: float
    unknown: tuple[str, ...] = ()

    def render(self) -> str:
        if not self.unknown:
            return f"${self.usd_per_month:,.2f}/month"
        missing = f"no sourced price for {', '.join(self.unknown)}"
        if self.usd_per_month:
            return f"${self.usd_per_month:,.2f}/month + unknown ({missing})"
        return f"unknown ({missing})"

    def __add__(self, other: IdleFloor) -> IdleFloor:
        unknown = tuple(sorted({*self.unknown, *other.unknown}))
        return IdleFloor(self.usd_per_month + other.usd_per_month, unknown)


NOTHING = IdleFloor(0.0)


def endpoint_capacity(plan: EndpointPlan) -> tuple[IdleCapacity, ...]:
    """The real-time endpoint's idle instances: the main variant's scheduled minimum,
    the other variants' and the shadow's fixed counts."""
    main = IdleCapacity(
        plan.main.instance_type, average_minimum(plan.min_instances, plan.scaling.schedule)
    )
    others = [IdleCapacity(v.instance_type, v.initial_count) for v in plan.fleet[1:]]
    return (main, *others)


def serverless_capacity(plan: ServerlessPlan) -> tuple[IdleCapacity, ...]:
    if plan.provisioned_concurrency:
        return (IdleCapacity("serverless provisioned concurrency", plan.provisioned_concurrency),)
    return ()


def async_capacity(plan: AsyncPlan) -> tuple[IdleCapacity, ...]:
    """An asynchronous endpoint keeps its scaling minimum: nothing idle at 0."""
    return (IdleCapacity(plan.instance_type, plan.scaling.min_instances),)


def hosted_capacity(hosted: HostedPlan, *, once_serving: bool) -> tuple[IdleCapacity, ...]:
    """Deployed now, or (`once_serving`) also what waits for an approved model."""
    found: list[IdleCapacity] = []
    asynchronous = hosted.async_endpoint if isinstance(hosted, AlgorithmPlan) else None
    for value in (hosted.endpoint, hosted.serverless, asynchronous):
        if isinstance(value, Waiting) and not once_serving:
            continue
        planned = eventually(value)
        if isinstance(planned, EndpointPlan):
            found += endpoint_capacity(planned)
        elif isinstance(planned, ServerlessPlan):
            found += serverless_capacity(planned)
        elif isinstance(planned, AsyncPlan):
            found += async_capacity(planned)
    return tuple(found)


def floor(capacity: Iterable[IdleCapacity], region: str) -> IdleFloor:
    total, unknown = 0.0, set()
    for item in capacity:
        if not item.count:
            continue
        price = hourly_price(region, item.what)
        if price is None:
            unknown.add(item.what)
        else:
            total += item.count * HOURS_PER_MONTH * price.usd_per_hour
    return IdleFloor(total, tuple(sorted(unknown)))


def price_regions(region: str | None) -> tuple[str, ...]:
    """The region whose prices apply, or, for an environment-agnostic stage, every
    region the price table covers (where it deploys decides)."""
    return (region,) if region else PRICED_REGIONS


def _serverless(hosted: HostedPlan, hosting: HostingSpec) -> NotSupported | None:
    return hosting.serverless


def _asynchronous(hosted: HostedPlan, hosting: HostingSpec) -> NotSupported | None:
    """Every hostable built-in serves asynchronously (infra.catalog.limits, async); a
    custom model server has no `async` section."""
    if isinstance(hosted, AlgorithmPlan):
        return None
    return NotSupported("custom model servers have no asynchronous endpoint")


# The serving modes that scale to 0 instances, and what says whether an algorithm can
# use each (None: it can): serverless, and asynchronous inference (SageMaker developer
# guide, "Autoscale an asynchronous endpoint").
SCALE_TO_ZERO: tuple[tuple[str, Callable[[HostedPlan, HostingSpec], NotSupported | None]], ...] = (
    ("serverless", _serverless),
    ("async", _asynchronous),
)


def _uses(mode: str, hosted: HostedPlan) -> bool:
    if mode == "serverless":
        return isinstance(eventually(hosted.serverless), ServerlessPlan)
    planned = eventually(hosted.async_endpoint) if isinstance(hosted, AlgorithmPlan) else None
    return isinstance(planned, AsyncPlan) and planned.scaling.min_instances == 0


def scale_to_zero(hosted: HostedPlan) -> str:
    """Which scale-to-zero modes the algorithm can use, and whether the config uses them."""
    hosting = (
        hosted.algorithm.hosting if isinstance(hosted, AlgorithmPlan) else hosted.server.hosting
    )
    if isinstance(hosting, NotSupported):
        return "n/a (not hostable)"
    modes = []
    for mode, refusal in SCALE_TO_ZERO:
        if refusal(hosted, hosting) is None:
            modes.append(f"{mode} (on)" if _uses(mode, hosted) else mode)
    if modes:
        return ", ".join(modes)
    reasons = "; ".join(
        str(r.reason) for _, check in SCALE_TO_ZERO if (r := check(hosted, hosting))
    )
    return f"none ({reasons})"


def _capacity_text(capacity: tuple[IdleCapacity, ...]) -> str:
    if not capacity:
        return "none"
    return ", ".join(
        f"{c.what} ×{c.count:g}"  # noqa: RUF001
        if c.count == int(c.count)
        else f"{c.what} ×{c.count:.2f} (scheduled, yearly average)"  # noqa: RUF001
        for c in capacity
    )


def render_idle_floor(stage: StagePlan) -> str:
    """The stage's idle cost floor: per hosted algorithm or server, then the total now
    and once every waiting endpoint serves."""
    regions = price_regions(stage.region)
    where = (
        f"{stage.region} on-demand prices"
        if stage.region
        else f"environment-agnostic: at {' and '.join(regions)} on-demand prices"
    )
    header = ("hosted", "idle capacity", *(f"floor ({r})" for r in regions), "scale to zero")
    rows = []
    now = dict.fromkeys(regions, NOTHING)
    planned = dict.fromkeys(regions, NOTHING)
    for hosted in stage.hosted:
        serving = hosted_capacity(hosted, once_serving=False)
        eventual = hosted_capacity(hosted, once_serving=True)
        waiting = serving != eventual
        cells = []
        for region in regions:
            now[region] += floor(serving, region)
            planned[region] += floor(eventual, region)
            text = floor(eventual, region).render()
            cells.append(f"{text} once serving" if waiting else text)
        rows.append((hosted.name, _capacity_text(eventual), *cells, scale_to_zero(hosted)))
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    totals = "; ".join(
        f"{region}: {now[region].render()} now"
        + (
            f", {planned[region].render()} once every endpoint serves"
            if planned[region] != now[region]
            else ""
        )
        for region in regions
    )
    return "\n".join(
        [
            f"Idle cost floor ({where}; endpoint instances × {HOURS_PER_MONTH} h; real-time "  # noqa: RUF001
            "endpoints keep at least 1 instance, serverless and async scale to 0)",
            "",
            line(header),
            "|" + "|".join("-" * (w + 2) for w in widths) + "|",
            *(line(r) for r in rows),
            "",
            f"Total: {totals}",
        ]
    )
