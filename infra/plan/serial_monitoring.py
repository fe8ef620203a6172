"""Model Monitor on an inference pipeline: capture and monitoring see the pipeline as one
model, its first container's input and its last one's output (DG:inference-pipelines;
DG:model-monitor: "inference pipelines monitored as a whole")."""

from __future__ import annotations

from dataclasses import replace

from infra.catalog.model import NotSupported
from infra.errors import NO_VALUE
from infra.plan.issues import Issues
from infra.plan.models import Waiting
from infra.plan.monitoring import WAITING_FOR_BASELINE, WAITING_FOR_PROFILE, MonitorPlan
from infra.plan.serial import PipelinePlan
from infra.plan.skipped import Skipped

WAITING_FOR_PIPELINE_BASELINE = Waiting(
    "waiting for monitoring.baseline_uri: the pipeline's endpoint captures its first "
    "container's input, so the baseline must be of that input"
)


def monitor_pipeline(
    monitor: MonitorPlan | Skipped,
    pipeline: PipelinePlan | None,
    enabled: bool | None,
    path: str,
    issues: Issues,
) -> MonitorPlan | Skipped:
    """Model Monitor on a pipeline: capture applies to the whole pipeline; its schedules
    wait for a baseline of the pipeline's own input."""
    if pipeline is None or not isinstance(monitor, MonitorPlan):
        return monitor
    if monitor.capture_content_type not in pipeline.request_content_types:
        if enabled is not False:
            issues.add(
                f"{path}.enabled",
                NO_VALUE if enabled is None else enabled,
                f"Model Monitor reads {monitor.capture_content_type} captures, and the "
                f"pipeline's first container reads {', '.join(pipeline.request_content_types)}: "
                "set monitoring.enabled: false",
            )
        return NotSupported("the pipeline's input is not what Model Monitor reads")
    waits = (None, WAITING_FOR_BASELINE, WAITING_FOR_PROFILE)
    if monitor.baseline_uri is None and monitor.schedules in waits:
        # The training data is the algorithm's input, not the pipeline's: no schedule
        # compares captures with it, whatever baseline_ready says.
        return replace(
            monitor, schedules=WAITING_FOR_PIPELINE_BASELINE, baseline_from_train_channel=False
        )
    return monitor
