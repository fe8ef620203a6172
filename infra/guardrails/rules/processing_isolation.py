"""SageMaker-ProcessingIsolation: pipeline processing jobs (the Baseline step, the drift
checks) run in our VPC, isolated, with KMS on their outputs and EBS volumes.

They read endpoint traffic (data capture) and training data: a job outside the VPC
reaches the internet, one without network isolation lets its container make calls of
its own, and unencrypted outputs or volumes hold that data under AWS's key only. NVMe
instance storage is encrypted by the hardware and takes no key (facts §12).
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.instances import has_local_storage
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template

WHERE = "Properties/PipelineDefinition/PipelineDefinitionBody"


def check(template: Template) -> Iterator[Finding]:
    for job in template.processing_jobs():
        request = job.request
        network = request.get("NetworkConfig", {})
        vpc = network.get("VpcConfig", {})
        if not vpc.get("Subnets") or not vpc.get("SecurityGroupIds"):
            yield Finding(job.pipeline, WHERE, f"{job.where}: processing runs outside the VPC")
        if network.get("EnableNetworkIsolation") is not True:
            yield Finding(job.pipeline, WHERE, f"{job.where}: network isolation is off")
        if not request.get("ProcessingOutputConfig", {}).get("KmsKeyId"):
            yield Finding(job.pipeline, WHERE, f"{job.where}: outputs without the stage key")
        cluster = request.get("ProcessingResources", {}).get("ClusterConfig", {})
        instance = cluster.get("InstanceType")
        local = isinstance(instance, str) and has_local_storage(instance)
        if not local and not cluster.get("VolumeKmsKeyId"):
            yield Finding(
                job.pipeline, WHERE, f"{job.where}: the volume of {instance} has no KMS key"
            )


RULE = Rule(
    id="SageMaker-ProcessingIsolation",
    explanation="Processing jobs in pipelines run in the stage's VPC with network isolation, "
    "and encrypt their outputs and EBS volumes with the stage key.",
    check=check,
)
