"""Off-hours schedules for a real-time endpoint: Application Auto Scaling scheduled
actions that set the main variant's autoscaling bounds at given times."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from infra.catalog.limits import ENDPOINT_MAX_INSTANCES
from infra.config.fields import Strict


class ScheduledCapacityConfig(Strict):
    """From `cron` on (in `timezone`), autoscale the endpoint between these bounds.

    The expression and the time zone are checked in the plan (`infra.plan.schedule`)
    as Application Auto Scaling's PutScheduledAction accepts them.
    """

    cron: str
    timezone: str = "UTC"
    # Real-time endpoints without inference components cannot scale to 0 instances.
    min_instances: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)]
    max_instances: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)]
