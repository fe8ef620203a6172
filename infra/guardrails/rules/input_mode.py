"""SageMaker-InputMode: each training channel's input mode suits its content type.

Several built-ins read some content types in File mode only (CSV for most, images
for the vision algorithms); Pipe there fails the job once it starts reading.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.rules.training_isolation import WHERE
from infra.guardrails.template import Template


def check(template: Template) -> Iterator[Finding]:
    for job in template.training_jobs():
        algorithm = job.algorithm
        if algorithm is None:
            continue
        default_mode = job.request.get("AlgorithmSpecification", {}).get("TrainingInputMode")
        for channel in job.request.get("InputDataConfig", []):
            content_type = channel.get("ContentType")
            training_format = content_type and algorithm.training.format_for(content_type)
            if not training_format:
                continue  # auxiliary channels and content types the job does not train on
            mode = channel.get("InputMode", default_mode)
            allowed = [m.value for m in training_format.input_modes]
            if mode not in allowed:
                yield Finding(
                    job.pipeline,
                    WHERE,
                    f"{job.where}: channel {channel.get('ChannelName')!r} reads {content_type} "
                    f"in {mode} mode; {algorithm.name} takes it in {' or '.join(allowed)}",
                )


RULE = Rule(
    id="SageMaker-InputMode",
    explanation="Training channels use an input mode the algorithm supports for the "
    "channel's content type.",
    check=check,
)
