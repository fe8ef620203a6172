"""The batch transform pipeline: one Transform step (CreateTransformJob) from a plan.

Run-time parameters: where the input is read (a prefix in the data bucket), where the
results go (a prefix in the artifacts bucket; each run writes under its execution id)
and how many instances run. Everything else is planned and checked before synth.
"""

from __future__ import annotations

from dataclasses import dataclass

from infra.pipelines.common import Json, PipelineParameters, get
from infra.plan.transform import TransformPlan
from infra.prefixes import Purpose, s3_uri

VERSION = "2020-12-01"
TRANSFORM = "Transform"
INPUT_PARAMETER, OUTPUT_PARAMETER = "TransformInputUri", "TransformOutputUri"
COUNT_PARAMETER = "TransformInstanceCount"


@dataclass(frozen=True)
class TransformResources:
    """What the request names; strings (CDK tokens when rendered in a stack)."""

    model_name: str
    data_bucket: str
    artifacts_bucket: str
    kms_key_arn: str


def input_prefix(data_bucket: str, algorithm: str) -> str:
    """The default input: `s3://<data>/transform/<algorithm>/input/`."""
    return s3_uri(data_bucket, Purpose.TRANSFORM, algorithm, "input")


def output_prefix(artifacts_bucket: str, algorithm: str) -> str:
    """The default output: `s3://<artifacts>/transform/<algorithm>/output/`."""
    return s3_uri(artifacts_bucket, Purpose.TRANSFORM, algorithm, "output")


def transform_job(
    algorithm: str, plan: TransformPlan, res: TransformResources, params: PipelineParameters
) -> Json:
    """CreateTransformJob, less TransformJobName (the pipeline names each run)."""
    source = params.string(INPUT_PARAMETER, input_prefix(res.data_bucket, algorithm))
    output = params.string(OUTPUT_PARAMETER, output_prefix(res.artifacts_bucket, algorithm))
    transform_input: Json = {
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": source}},
        "ContentType": plan.content_type,
        "SplitType": plan.split_type.value,
    }
    resources: Json = {
        "InstanceType": plan.instance_type,
        "InstanceCount": params.integer(COUNT_PARAMETER, plan.instance_count),
    }
    # Local NVMe storage is hardware-encrypted; the API refuses a key for it.
    if plan.encrypt_volume:
        resources["VolumeKmsKeyId"] = res.kms_key_arn
    job: Json = {
        "ModelName": res.model_name,
        "TransformInput": transform_input,
        "TransformOutput": {
            # One folder per run: `<output>/<execution id>/<input key>.out`.
            "S3OutputPath": {
                "Std:Join": {
                    "On": "",
                    "Values": [output, get("Execution.PipelineExecutionId")],
                }
            },
            "Accept": plan.accept,
            "AssembleWith": plan.assemble_with,
            "KmsKeyId": res.kms_key_arn,
        },
        "TransformResources": resources,
        "MaxPayloadInMB": plan.max_payload_mb,
    }
    if plan.batch_strategy is not None:
        job["BatchStrategy"] = plan.batch_strategy.value
    if plan.max_concurrent_transforms is not None:
        job["MaxConcurrentTransforms"] = plan.max_concurrent_transforms
    if plan.join is not None:
        job["DataProcessing"] = {
            "JoinSource": "Input",
            "InputFilter": plan.join.input_filter,
            "OutputFilter": plan.join.output_filter,
        }
    return job


def transform_pipeline(algorithm: str, plan: TransformPlan, res: TransformResources) -> Json:
    """Score everything under the input prefix with the served model."""
    params = PipelineParameters()
    step = {
        "Name": TRANSFORM,
        "Type": "Transform",
        "Arguments": transform_job(algorithm, plan, res, params),
    }
    return {"Version": VERSION, "Metadata": {}, "Parameters": params.items, "Steps": [step]}
