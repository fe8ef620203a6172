"""SageMaker-SpotCheckpointing: spot training resumes from checkpoints, or waits at most an hour.

An interrupted spot job without checkpoints starts over; built-ins that cannot
checkpoint are refused a spot wait over 3600 s (facts §9).
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.limits import SPOT_WAIT_WITHOUT_CHECKPOINTS
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.rules.training_isolation import WHERE
from infra.guardrails.template import Template


def check(template: Template) -> Iterator[Finding]:
    for job in template.training_jobs():
        request = job.request
        if request.get("EnableManagedSpotTraining") is not True:
            continue
        stopping = request.get("StoppingCondition", {})
        wait = stopping.get("MaxWaitTimeInSeconds")
        runtime = stopping.get("MaxRuntimeInSeconds", 0)
        algorithm = job.algorithm
        if wait is None or wait < runtime:
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: spot needs MaxWaitTimeInSeconds of at least MaxRuntimeInSeconds",
            )
        if algorithm is None or algorithm.training.checkpointing:
            if not request.get("CheckpointConfig", {}).get("S3Uri"):
                name = algorithm.name if algorithm else "the job"
                yield Finding(
                    job.pipeline,
                    WHERE,
                    f"{job.where}: {name} can checkpoint but spot training has no "
                    "CheckpointConfig, so an interruption starts it over",
                )
        elif wait is not None and wait > SPOT_WAIT_WITHOUT_CHECKPOINTS:
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: {algorithm.name} does not checkpoint, so its spot wait must be "
                f"at most {SPOT_WAIT_WITHOUT_CHECKPOINTS} s, not {wait}",
            )


RULE = Rule(
    id="SageMaker-SpotCheckpointing",
    explanation="Managed spot training checkpoints to S3 where the algorithm can, and "
    f"otherwise waits at most {SPOT_WAIT_WITHOUT_CHECKPOINTS} s for capacity, as SageMaker "
    "requires.",
    check=check,
)
