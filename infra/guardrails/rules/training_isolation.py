"""SageMaker-TrainingIsolation: training runs in our VPC, isolated, encrypted between nodes.

A job outside the VPC reaches the internet; one without network isolation lets
the algorithm container make calls of its own (except where the catalog says the
container cannot train isolated: then isolation is a failing job, and is refused);
one on several instances without inter-container encryption sends model state
between nodes in clear.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, TrainingJob

WHERE = "Properties/PipelineDefinition/PipelineDefinitionBody"


def may_run_distributed(job: TrainingJob) -> bool:
    """True when the job has, or a pipeline run may give it, more than one instance."""
    count = job.request.get("ResourceConfig", {}).get("InstanceCount") or 1
    if count > 1:
        return True
    algorithm = job.algorithm
    can_scale = algorithm is None or algorithm.training.multi_instance
    return "InstanceCount" in job.parameterized and can_scale


def check(template: Template) -> Iterator[Finding]:
    for job in template.training_jobs():
        request = job.request
        vpc = request.get("VpcConfig", {})
        if not vpc.get("Subnets") or not vpc.get("SecurityGroupIds"):
            yield Finding(job.pipeline, WHERE, f"{job.where}: training runs outside the VPC")
        isolation = job.algorithm.training.network_isolation if job.algorithm else True
        if request.get("EnableNetworkIsolation") is not True and isolation is True:
            yield Finding(job.pipeline, WHERE, f"{job.where}: network isolation is off")
        if request.get("EnableNetworkIsolation") is True and isolation is not True:
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: network isolation is on, which {job.algorithm.name} cannot "
                f"train with: {isolation.reason}",  # type: ignore[union-attr]
            )
        if (
            may_run_distributed(job)
            and request.get("EnableInterContainerTrafficEncryption") is not True
        ):
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: may run on several instances without inter-container encryption",
            )


RULE = Rule(
    id="SageMaker-TrainingIsolation",
    explanation="Training jobs run in the stage's VPC with network isolation, and encrypt "
    "traffic between instances whenever they may run on more than one.",
    check=check,
)
