"""SageMaker-AsyncOutputs: asynchronous endpoints encrypt their results with our key.

An asynchronous endpoint writes every response and failure to S3 itself
(`AsyncInferenceConfig.OutputConfig`); without `KmsKeyId` SageMaker encrypts them with
the bucket's default instead of the stage key (API: AsyncInferenceOutputConfig.KmsKeyId,
"the key that SageMaker uses to encrypt the asynchronous inference output").
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template

_WHERE = "Properties/AsyncInferenceConfig/OutputConfig"


def check(template: Template) -> Iterator[Finding]:
    for config in template.of_type("AWS::SageMaker::EndpointConfig"):
        asynchronous = config.properties.get("AsyncInferenceConfig")
        if asynchronous is None:
            continue
        output = asynchronous.get("OutputConfig", {})
        if not output.get("KmsKeyId"):
            yield Finding(
                config, f"{_WHERE}/KmsKeyId", "asynchronous results are not encrypted with our key"
            )
        if "S3FailurePath" not in output:
            yield Finding(
                config, _WHERE, "no S3FailurePath: failed requests leave no trace beside results"
            )


RULE = Rule(
    id="SageMaker-AsyncOutputs",
    explanation="Asynchronous endpoint configs write results and failures to S3 encrypted "
    "with the stage's KMS key.",
    check=check,
)
