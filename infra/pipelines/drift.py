"""Drift checks as SageMaker Pipelines (no CDK): the monitoring pipeline, and the
training pipeline's profile step that replaces Model Monitor's analyzer.

Monitoring pipeline `<stage>-<algorithm>-drift`, one run per schedule tick:

1. `Window` (Lambda step, `lambdas/drift_run`, action `window`): lists the previous
   hour's or day's data capture of every variant of the endpoint, and the ground truth
   uploaded for it, writes `window.json` and S3 manifest files under the run's prefix
   and returns their URIs. The manifests always list `window.json`, so no input is ever
   empty: SageMaker rejects a job whose S3 input names no object ("No S3 objects found
   under S3 URL", a ValidationException at create time).
2. `Check` (Processing step): the drift image's `check` command (contract:
   containers/drift/README.md) in the private subnets with network isolation, KMS on
   the volume and the outputs, writing report.html, summary.json and metrics.json to
   `monitoring/<algorithm>/<run>/`.
3. `Publish` (Lambda step, action `publish`): puts metrics.json into CloudWatch.

Step JSON follows the SageMaker Python SDK's renderings (sagemaker-mlops
`workflow/lambda_step.py`: FunctionArn, OutputParameters [{OutputName, OutputType}],
outputs read as `Steps.<step>.OutputParameters['<name>']`; `workflow/properties.py`:
ProcessingOutputConfig.Outputs is a map keyed by OutputName; execution variables
`Execution.StartDateTime` and `Execution.PipelineExecutionId`).
"""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.drift import (
    CHECK_COMMAND,
    DRIFT_JOB_INSTANCE_COUNT,
    DRIFT_JOB_MAX_RUNTIME_SECONDS,
    DRIFT_JOB_VOLUME_GB,
    PROFILE_COMMAND,
)
from infra.pipelines.baseline import baseline_data_uri
from infra.pipelines.common import JobResources, Json, PipelineParameters, get
from infra.plan.hosted import AlgorithmPlan
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan
from infra.prefixes import ArtifactsPrefix, Purpose, prefix, s3_uri

VERSION = "2020-12-01"
WINDOW, CHECK, PUBLISH = "Window", "Check", "Publish"
# What the window step returns (Lambda step output parameters, all strings).
WINDOW_OUTPUTS = ("capture_manifest", "ground_truth_manifest", "output_uri", "run")
REPORT = "report"

PROCESSING = "/opt/ml/processing"
PROFILE_DATA = f"{PROCESSING}/input/reference_data"
CAPTURE_INPUT = f"{PROCESSING}/input/capture"
REFERENCE_INPUT = f"{PROCESSING}/input/reference"
GROUND_TRUTH_INPUT = f"{PROCESSING}/input/ground_truth"
OUTPUT = f"{PROCESSING}/output"
# The reference profile under the algorithm's baselines (Model Monitor's statistics and
# constraints sit beside it, at the prefix's root).
PROFILE_PARTS = ("drift",)


@dataclass(frozen=True)
class DriftResources:
    """What the monitoring pipeline's requests name; strings (CDK tokens in a stack)."""

    function_arn: str  # lambdas/drift_run
    job_role_arn: str
    image: str
    artifacts_bucket: str
    kms_key_arn: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    endpoint_name: str


def drift_job(
    monitor: MonitorPlan,
    *,
    role_arn: str,
    kms_key_arn: str,
    security_group_ids: list[str],
    subnet_ids: list[str],
) -> Json:
    """What both drift jobs (profile, check) run with, as CreateProcessingJob parts."""
    cluster: Json = {
        "InstanceCount": DRIFT_JOB_INSTANCE_COUNT,
        "InstanceType": monitor.instance_type,
        "VolumeSizeInGB": DRIFT_JOB_VOLUME_GB,
    }
    if monitor.encrypt_volume:
        cluster["VolumeKmsKeyId"] = kms_key_arn
    return {
        "ProcessingResources": {"ClusterConfig": cluster},
        "StoppingCondition": {"MaxRuntimeInSeconds": DRIFT_JOB_MAX_RUNTIME_SECONDS},
        "RoleArn": role_arn,
        "NetworkConfig": {
            "EnableNetworkIsolation": True,
            "EnableInterContainerTrafficEncryption": True,
            "VpcConfig": {"SecurityGroupIds": security_group_ids, "Subnets": subnet_ids},
        },
    }


def _s3_input(name: str, uri: object, local: str, kind: str = "S3Prefix") -> Json:
    return {
        "InputName": name,
        "S3Input": {
            "S3Uri": uri,
            "LocalPath": local,
            "S3DataType": kind,
            "S3InputMode": "File",
            "S3DataDistributionType": "FullyReplicated",
        },
    }


def _output(uri: object, kms_key_arn: str) -> Json:
    return {
        "Outputs": [
            {
                "OutputName": REPORT,
                "S3Output": {"S3Uri": uri, "LocalPath": OUTPUT, "S3UploadMode": "EndOfJob"},
            }
        ],
        "KmsKeyId": kms_key_arn,
    }


def profile_job(
    plan: AlgorithmPlan, monitor: MonitorPlan, res: JobResources, params: PipelineParameters
) -> Json:
    """CreateProcessingJob for the drift image's `profile`: the reference profile the
    drift checks compare each window to, from the same CSV the Model Monitor analyzer
    read, to `baselines/<algorithm>/drift/`."""
    assert res.baseline is not None
    assert res.baseline.drift_image is not None
    default = baseline_data_uri(plan, monitor, res.data_bucket)
    job = drift_job(
        monitor,
        role_arn=res.job_role_arn,
        kms_key_arn=res.kms_key_arn,
        security_group_ids=list(res.security_group_ids),
        subnet_ids=list(res.subnet_ids),
    )
    return {
        **job,
        "AppSpecification": {
            "ImageUri": res.baseline.drift_image,
            "ContainerArguments": [PROFILE_COMMAND, "--data", PROFILE_DATA, "--output", OUTPUT],
        },
        "ProcessingInputs": [
            _s3_input("reference_data", params.string("BaselineDataUri", default), PROFILE_DATA)
        ],
        "ProcessingOutputConfig": _output(
            s3_uri(res.artifacts_bucket, Purpose.BASELINES, plan.name, *PROFILE_PARTS),
            res.kms_key_arn,
        ),
    }


def _window_output(name: str) -> Json:
    return get(f"Steps.{WINDOW}.OutputParameters['{name}']")


def _check_arguments(monitor: MonitorPlan, res: DriftResources) -> list[str]:
    assert monitor.drift is not None
    arguments = [
        CHECK_COMMAND,
        "--capture",
        CAPTURE_INPUT,
        "--reference",
        REFERENCE_INPUT,
        "--drift-share",
        repr(monitor.drift.drift_share),
        "--output",
        OUTPUT,
    ]
    quality = monitor.model_quality
    if isinstance(quality, ModelQualityPlan):
        arguments += [
            "--ground-truth",
            GROUND_TRUTH_INPUT,
            "--problem-type",
            quality.problem_type.value,
            "--inference-attribute",
            quality.inference_attribute,
        ]
        if quality.probability_attribute is not None:
            arguments += ["--probability-attribute", quality.probability_attribute]
        if quality.probability_threshold is not None:
            arguments += ["--probability-threshold", repr(quality.probability_threshold)]
    return arguments


def ground_truth_uri(quality: ModelQualityPlan, artifacts_bucket: str) -> str:
    ground_truth = quality.ground_truth
    if isinstance(ground_truth, ArtifactsPrefix):
        return ground_truth.uri(artifacts_bucket)
    return ground_truth


def check_job(plan: AlgorithmPlan, monitor: MonitorPlan, res: DriftResources) -> Json:
    """CreateProcessingJob for the drift image's `check` over one window."""
    job = drift_job(
        monitor,
        role_arn=res.job_role_arn,
        kms_key_arn=res.kms_key_arn,
        security_group_ids=list(res.security_group_ids),
        subnet_ids=list(res.subnet_ids),
    )
    inputs = [
        _s3_input(
            "capture", _window_output("capture_manifest"), CAPTURE_INPUT, kind="ManifestFile"
        ),
        _s3_input(
            "reference",
            s3_uri(res.artifacts_bucket, Purpose.BASELINES, plan.name, *PROFILE_PARTS),
            REFERENCE_INPUT,
        ),
    ]
    if isinstance(monitor.model_quality, ModelQualityPlan):
        inputs.append(
            _s3_input(
                "ground_truth",
                _window_output("ground_truth_manifest"),
                GROUND_TRUTH_INPUT,
                kind="ManifestFile",
            )
        )
    return {
        **job,
        "AppSpecification": {
            "ImageUri": res.image,
            "ContainerArguments": _check_arguments(monitor, res),
        },
        "ProcessingInputs": inputs,
        "ProcessingOutputConfig": _output(_window_output("output_uri"), res.kms_key_arn),
    }


def drift_pipeline(plan: AlgorithmPlan, monitor: MonitorPlan, res: DriftResources) -> Json:
    """Window → Check → Publish for one algorithm's real-time endpoint."""
    params = PipelineParameters()
    quality = monitor.model_quality
    window_inputs: Json = {
        "action": "window",
        "bucket": res.artifacts_bucket,
        # SageMaker writes capture to <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/
        # (DG "Capture data"); the destination is capture/<algorithm>.
        "capture_prefix": f"{prefix(Purpose.CAPTURE, plan.name)}{res.endpoint_name}/",
        "ground_truth_uri": ground_truth_uri(quality, res.artifacts_bucket)
        if isinstance(quality, ModelQualityPlan)
        else "",
        "runs_prefix": prefix(Purpose.MONITORING, plan.name),
        "schedule": monitor.schedule,
        "started": get("Execution.StartDateTime"),
        "execution": get("Execution.PipelineExecutionId"),
        # An ISO 8601 end of the window to check again; "latest": the last full period.
        "window_end": params.string("WindowEnd", "latest"),
    }
    steps: list[Json] = [
        {
            "Name": WINDOW,
            "Type": "Lambda",
            "Arguments": window_inputs,
            "FunctionArn": res.function_arn,
            "OutputParameters": [
                {"OutputName": name, "OutputType": "String"} for name in WINDOW_OUTPUTS
            ],
        },
        {"Name": CHECK, "Type": "Processing", "Arguments": check_job(plan, monitor, res)},
        {
            "Name": PUBLISH,
            "Type": "Lambda",
            "Arguments": {
                "action": "publish",
                # A property of the Check step: Publish runs after it.
                "report_uri": get(
                    f"Steps.{CHECK}.ProcessingOutputConfig.Outputs['{REPORT}'].S3Output.S3Uri"
                ),
                "endpoint": res.endpoint_name,
                "algorithm": plan.name,
            },
            "FunctionArn": res.function_arn,
            "OutputParameters": [{"OutputName": "published", "OutputType": "String"}],
        },
    ]
    return {"Version": VERSION, "Metadata": {}, "Parameters": params.items, "Steps": steps}
