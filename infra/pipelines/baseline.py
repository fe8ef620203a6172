"""Model Monitor jobs: the pipeline's baseline step (CreateProcessingJob), and the
parts it shares with the monitoring job definitions (`monitor_job`)."""

from __future__ import annotations

import json

from infra.catalog.model_monitor import (
    MONITOR_JOB_INSTANCE_COUNT,
    MONITOR_JOB_MAX_RUNTIME_SECONDS,
    MONITOR_JOB_VOLUME_GB,
)
from infra.pipelines.common import JobResources, Json, PipelineParameters
from infra.plan.hosted import AlgorithmPlan
from infra.plan.monitoring import MonitorPlan
from infra.prefixes import Purpose, s3_uri

BASELINE_INPUT = "/opt/ml/processing/input/baseline_dataset_input"
BASELINE_OUTPUT = "/opt/ml/processing/output"


def monitor_job(
    monitor: MonitorPlan,
    *,
    role_arn: str,
    kms_key_arn: str,
    security_group_ids: list[str],
    subnet_ids: list[str],
) -> Json:
    """What every Model Monitor job runs with, in the API's shape: one instance, a
    KMS-encrypted volume (where the plan says so: not on local storage), an hour at most,
    network isolation and encrypted traffic in the private subnets.

    The baseline step puts these in its CreateProcessingJob request; the data- and
    model-quality job definitions render them as their CloudFormation properties.
    """
    cluster: Json = {
        "InstanceCount": MONITOR_JOB_INSTANCE_COUNT,
        "InstanceType": monitor.instance_type,
        "VolumeSizeInGB": MONITOR_JOB_VOLUME_GB,
    }
    if monitor.encrypt_volume:
        cluster["VolumeKmsKeyId"] = kms_key_arn
    return {
        "ClusterConfig": cluster,
        "StoppingCondition": {"MaxRuntimeInSeconds": MONITOR_JOB_MAX_RUNTIME_SECONDS},
        "RoleArn": role_arn,
        "NetworkConfig": {
            "EnableNetworkIsolation": True,
            "EnableInterContainerTrafficEncryption": True,
            "VpcConfig": {"SecurityGroupIds": security_group_ids, "Subnets": subnet_ids},
        },
    }


def baseline_data_uri(plan: AlgorithmPlan, monitor: MonitorPlan, data_bucket: str) -> str:
    """The CSV a baseline is computed from (the `BaselineDataUri` parameter's default):
    the config's, the train channel (unsupervised CSV training), or the data bucket's
    training/<algorithm>/baseline/."""
    if monitor.baseline_uri:
        return monitor.baseline_uri
    channel = "train" if monitor.baseline_from_train_channel else "baseline"
    return s3_uri(data_bucket, Purpose.TRAINING, plan.name, channel)


def baseline_job(
    plan: AlgorithmPlan, monitor: MonitorPlan, res: JobResources, params: PipelineParameters
) -> Json:
    """CreateProcessingJob for Model Monitor's analyzer: statistics and constraints.

    The analyzer reads headerless CSV in the column order of inference requests and
    writes statistics.json and constraints.json to baselines/<algorithm>/, where the
    monitoring schedules read them.
    """
    assert res.baseline is not None
    assert res.baseline.analyzer_image is not None
    default = baseline_data_uri(plan, monitor, res.data_bucket)
    job = monitor_job(
        monitor,
        role_arn=res.job_role_arn,
        kms_key_arn=res.kms_key_arn,
        security_group_ids=list(res.security_group_ids),
        subnet_ids=list(res.subnet_ids),
    )
    return {
        "ProcessingResources": {"ClusterConfig": job["ClusterConfig"]},
        "AppSpecification": {"ImageUri": res.baseline.analyzer_image},
        "Environment": {
            "dataset_format": json.dumps({"csv": {"header": False}}),
            "dataset_source": BASELINE_INPUT,
            "output_path": BASELINE_OUTPUT,
            "publish_cloudwatch_metrics": "Disabled",
        },
        "ProcessingInputs": [
            {
                "InputName": "baseline_dataset_input",
                "S3Input": {
                    "S3Uri": params.string("BaselineDataUri", default),
                    "LocalPath": BASELINE_INPUT,
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                    "S3DataDistributionType": "FullyReplicated",
                },
            }
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": "monitoring_output",
                    "S3Output": {
                        "S3Uri": s3_uri(res.artifacts_bucket, Purpose.BASELINES, plan.name),
                        "LocalPath": BASELINE_OUTPUT,
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ],
            "KmsKeyId": res.kms_key_arn,
        },
        "StoppingCondition": job["StoppingCondition"],
        "RoleArn": job["RoleArn"],
        "NetworkConfig": job["NetworkConfig"],
    }
