"""SageMaker-DataCapture: real-time endpoints that Model Monitor can watch capture their traffic.

Without capture there is nothing for the data- and model-quality schedules to
read; the capture itself lands encrypted with the stage's key. Asynchronous endpoint
configs are exempt: their requests and responses are in S3 already, and the
schedules watch the real-time endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.model import MonitoringSpec, NotSupported
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.template import Template, hosted_entry, instance_variants

_MODES = {"Input", "Output"}


def check(template: Template) -> Iterator[Finding]:
    for config in template.of_type("AWS::SageMaker::EndpointConfig"):
        if "AsyncInferenceConfig" in config.properties:
            continue
        production = [v for v in instance_variants(config) if "ModelName" in v]
        model = production and template.target(production[0]["ModelName"])
        entry = model and hosted_entry(model)
        if not entry or isinstance(entry.hosting, NotSupported):
            continue
        if not isinstance(entry.hosting.monitoring, MonitoringSpec):
            continue
        capture = config.properties.get("DataCaptureConfig")
        where = "Properties/DataCaptureConfig"
        if capture is None or capture.get("EnableCapture") is False:
            yield Finding(
                config, where, f"{entry.name} can be monitored but the endpoint captures no data"
            )
            continue
        modes = {option.get("CaptureMode") for option in capture.get("CaptureOptions", [])}
        if missing := ", ".join(sorted(_MODES - modes)):
            yield Finding(config, f"{where}/CaptureOptions", f"capture misses {missing}")
        if not capture.get("InitialSamplingPercentage"):
            yield Finding(
                config, f"{where}/InitialSamplingPercentage", "the sampling percentage is 0"
            )
        if "KmsKeyId" not in capture:
            yield Finding(
                config,
                f"{where}/KmsKeyId",
                "captured requests and responses are not encrypted with the stage's key",
            )


RULE = Rule(
    id="SageMaker-DataCapture",
    explanation="Real-time endpoints of algorithms Model Monitor supports capture input and "
    "output, sampled above 0 %, encrypted with the stage's KMS key.",
    check=check,
)
