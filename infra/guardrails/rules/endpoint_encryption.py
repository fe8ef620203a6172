"""SageMaker-EndpointEncryption: endpoint configs encrypt with our key.

Instance types with local NVMe storage are the exception both ways: SageMaker
refuses a KmsKeyId for them (their storage is hardware-encrypted), so a key there
fails the deployment. Serverless endpoint configs take a key too (it is not among
serverless inference's feature exclusions; facts: "serverless and KMS").
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.instances import has_local_storage
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, instance_variants, text


def check(template: Template) -> Iterator[Finding]:
    for config in template.of_type("AWS::SageMaker::EndpointConfig"):
        types = sorted({text(v["InstanceType"]) for v in instance_variants(config)})
        keyed = "KmsKeyId" in config.properties
        if not types:
            if not keyed:
                yield Finding(
                    config,
                    "Properties/KmsKeyId",
                    "no KmsKeyId on a serverless endpoint config: encrypt with the stage's key",
                )
            continue
        local = [t for t in types if has_local_storage(t)]
        if local and keyed:
            yield Finding(
                config,
                "Properties/KmsKeyId",
                f"KmsKeyId is set but {', '.join(local)} has local NVMe storage: "
                "CreateEndpointConfig refuses a key for it",
            )
        elif not local and not keyed:
            yield Finding(
                config,
                "Properties/KmsKeyId",
                f"no KmsKeyId: the storage volume of {', '.join(types)} is not encrypted "
                "with the stage's key",
            )


RULE = Rule(
    id="SageMaker-EndpointEncryption",
    explanation="Endpoint configs, serverless ones too, encrypt with the stage's KMS key, "
    "except on instance types with local NVMe storage, which refuse one.",
    check=check,
)
