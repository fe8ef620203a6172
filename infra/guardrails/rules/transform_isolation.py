"""SageMaker-TransformIsolation: the model a batch transform runs is isolated in our VPC.

A transform job takes its network settings from its model (CreateModel's VpcConfig and
EnableNetworkIsolation): a model outside the VPC, or without isolation, lets the
container reach the internet while it reads the stage's data.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template

WHERE = "Properties/PipelineDefinition/PipelineDefinitionBody"


def check(template: Template) -> Iterator[Finding]:
    for job in template.transform_jobs():
        model_id = job.model_id
        model = template.resources.get(model_id) if model_id else None
        if model is None or model.type != "AWS::SageMaker::Model":
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: runs a model this stack does not define, whose isolation "
                "cannot be checked",
            )
            continue
        vpc = model.properties.get("VpcConfig", {})
        if not vpc.get("Subnets") or not vpc.get("SecurityGroupIds"):
            yield Finding(
                model, "Properties/VpcConfig", f"the model {job.where} runs is outside the VPC"
            )
        if model.properties.get("EnableNetworkIsolation") is not True:
            yield Finding(
                model,
                "Properties/EnableNetworkIsolation",
                f"the model {job.where} runs is not network-isolated",
            )


RULE = Rule(
    id="SageMaker-TransformIsolation",
    explanation="The model a batch transform job runs is in the stage's VPC with network "
    "isolation, so the job reads the stage's data without internet access.",
    check=check,
)
