"""Off-hours schedules of a real-time endpoint: scheduled actions on the main variant's
scalable target, and the minimum instance count they keep over a year.

A real-time endpoint of this project serves models through production variants, not
inference components, so it never scales to 0 instances: "An endpoint can scale to and
from zero instances only if it hosts inference components" (SageMaker developer guide,
"Scale an endpoint to zero instances"). Serverless (and asynchronous) inference are the
scale-to-zero options.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from infra.config.schedule import ScheduledCapacityConfig
from infra.plan.cron import CronError, parse_cron
from infra.plan.issues import Issues

# The year whose calendar weighs a schedule (fixed, so the summary is the same on every
# run; a non-leap year of 8,760 hours, 730 a month).
REFERENCE_YEAR = 2026
_YEAR_START, _YEAR_END = datetime(REFERENCE_YEAR, 1, 1), datetime(REFERENCE_YEAR + 1, 1, 1)


@dataclass(frozen=True, slots=True)
class ScheduledCapacity:
    """From each time `cron` fires (in `timezone`), autoscale between these bounds."""

    name: str
    cron: str
    timezone: str
    min_instances: int
    max_instances: int


def plan_schedule(
    configs: list[ScheduledCapacityConfig], endpoint_max: int, path: str, issues: Issues
) -> tuple[ScheduledCapacity, ...]:
    """Each action checked as PutScheduledAction accepts it, within the endpoint's bounds."""
    planned = []
    for index, config in enumerate(configs):
        where = f"{path}.{index}"
        try:
            cron = parse_cron(config.cron)
        except CronError as error:
            issues.add(f"{where}.cron", config.cron, str(error))
        else:
            if cron.years is not None:
                issues.add(
                    f"{where}.cron",
                    config.cron,
                    "an off-hours schedule repeats every year: write * for the year",
                )
        if config.timezone not in zoneinfo.available_timezones():
            issues.add(
                f"{where}.timezone",
                config.timezone,
                "not an IANA time zone name (e.g. Europe/Dublin, America/New_York, UTC)",
            )
        if config.min_instances > config.max_instances:
            issues.add(
                f"{where}.min_instances",
                config.min_instances,
                f"greater than max_instances ({config.max_instances})",
            )
        if config.max_instances > endpoint_max:
            # Preflight counts each endpoint at its max_instances against the quota.
            issues.add(
                f"{where}.max_instances",
                config.max_instances,
                f"above the endpoint's max_instances ({endpoint_max}), which the instance "
                "quota check counts",
            )
        planned.append(
            ScheduledCapacity(
                name=f"capacity-{index + 1}",
                cron=config.cron,
                timezone=config.timezone,
                min_instances=config.min_instances,
                max_instances=config.max_instances,
            )
        )
    return tuple(planned)


def average_minimum(base: int, schedule: tuple[ScheduledCapacity, ...]) -> float:
    """The minimum instance count averaged over the reference year: `base` until an
    action first fires, then each action's from when it fires (a year wraps around, so
    before the first action of January the last one of December holds). Times are the
    schedule's wall-clock times; daylight-saving shifts are ignored."""
    events: list[tuple[datetime, int, int]] = []
    for order, action in enumerate(schedule):
        try:
            cron = parse_cron(action.cron)
        except CronError:
            continue
        events += [(when, order, action.min_instances) for when in cron.fires_in(REFERENCE_YEAR)]
    if not events:
        return float(base)
    events.sort()
    total = (_YEAR_END - _YEAR_START).total_seconds()
    weighted, current, since = 0.0, events[-1][2], _YEAR_START
    for when, _, minimum in events:
        weighted += current * (when - since).total_seconds()
        current, since = minimum, when
    weighted += current * (_YEAR_END - since).total_seconds()
    return weighted / total
