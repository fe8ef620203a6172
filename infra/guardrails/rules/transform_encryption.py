"""SageMaker-TransformEncryption: batch transform results and volumes use our key.

`TransformOutput.KmsKeyId` encrypts the results in S3; `TransformResources.
VolumeKmsKeyId` the instances' storage volumes, except on instance types with local
NVMe storage, for which CreateTransformJob refuses a key ("You can't request a
VolumeKmsKeyId when using an instance type with local storage", API reference).
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.instances import has_local_storage
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, text

WHERE = "Properties/PipelineDefinition/PipelineDefinitionBody"


def check(template: Template) -> Iterator[Finding]:
    for job in template.transform_jobs():
        if not job.request.get("TransformOutput", {}).get("KmsKeyId"):
            yield Finding(
                job.pipeline, WHERE, f"{job.where}: results are not encrypted with our key"
            )
        resources = job.request.get("TransformResources", {})
        instance_type = text(resources.get("InstanceType", ""))
        keyed = bool(resources.get("VolumeKmsKeyId"))
        if has_local_storage(instance_type) and keyed:
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: VolumeKmsKeyId is set but {instance_type} has local NVMe "
                "storage: CreateTransformJob refuses a key for it",
            )
        elif not has_local_storage(instance_type) and not keyed:
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: the volumes of {instance_type} are not encrypted with our key",
            )


RULE = Rule(
    id="SageMaker-TransformEncryption",
    explanation="Batch transform jobs encrypt their results and, except on instance types "
    "with local NVMe storage (which refuse one), their volumes with the stage's KMS key.",
    check=check,
)
