"""CreateTrainingJob for one algorithm, and the job parts a tuning job shares with it."""

from __future__ import annotations

import json

from infra.pipelines.common import JobResources, Json, PipelineParameters
from infra.plan.channels import ChannelPlan
from infra.plan.hosted import AlgorithmPlan
from infra.plan.training import TrainingPlan
from infra.plan.tuning import TuningPlan
from infra.prefixes import Purpose, fsx_directory, s3_uri

# Where a framework container finds its source when network isolation keeps it
# from downloading anything: SageMaker copies the `code` channel there.
CODE_CHANNEL = "code"
SOURCE_TARBALL = "sourcedir.tar.gz"


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def _channel(
    plan: AlgorithmPlan, channel: ChannelPlan, res: JobResources, params: PipelineParameters
) -> Json:
    name = plan.name
    request: Json = {"ChannelName": channel.name, "InputMode": channel.input_mode.value}
    if channel.incremental:
        assert plan.training.incremental_from is not None
        location = params.string("IncrementalModelUri", plan.training.incremental_from)
        source: Json = {"S3DataSource": _s3_source(location, channel)}
    elif channel.from_file_system:
        assert res.fsx is not None
        directory = fsx_directory(res.fsx.mount_name, name, channel.name)
        source = {
            "FileSystemDataSource": {
                "FileSystemId": res.fsx.file_system_id,
                "FileSystemType": "FSxLustre",
                "FileSystemAccessMode": "ro",
                "DirectoryPath": params.string(f"{_camel(channel.name)}Directory", directory),
            }
        }
    else:
        default = s3_uri(res.data_bucket, Purpose.TRAINING, name, channel.name)
        location = params.string(f"{_camel(channel.name)}DataUri", default)
        source = {"S3DataSource": _s3_source(location, channel)}
    request["DataSource"] = source
    if channel.content_type:
        request["ContentType"] = channel.content_type
    if channel.compression != "None":
        request["CompressionType"] = channel.compression
    return request


def _s3_source(location: Json, channel: ChannelPlan) -> Json:
    return {
        "S3DataType": "S3Prefix",
        "S3Uri": location,
        "S3DataDistributionType": channel.distribution.value,
    }


def hyperparameters(plan: AlgorithmPlan, res: JobResources, params: PipelineParameters) -> Json:
    """The job's hyperparameters; data-dependent ones are pipeline parameters."""
    training = plan.training
    values: Json = {}
    for key, value in training.hyperparameters:
        if key in training.data_dependent:
            values[key] = params.string(f"Hyperparameter-{key}", value)
        else:
            values[key] = value
    if training.framework is not None:
        # Framework containers JSON-decode every hyperparameter.
        values = {k: v if isinstance(v, dict) else json.dumps(v) for k, v in values.items()}
        values.update(
            {
                "sagemaker_program": json.dumps(training.framework.entry_point),
                "sagemaker_submit_directory": json.dumps(
                    f"/opt/ml/input/data/{CODE_CHANNEL}/{SOURCE_TARBALL}"
                ),
                "sagemaker_region": json.dumps(res.region),
                "sagemaker_container_log_level": "20",
            }
        )
    return values


def _code_channel(plan: AlgorithmPlan, res: JobResources, params: PipelineParameters) -> Json:
    framework = plan.training.framework
    assert framework is not None
    default = framework.source_uri or (
        s3_uri(res.data_bucket, Purpose.TRAINING, plan.name, CODE_CHANNEL) + SOURCE_TARBALL
    )
    return {
        "ChannelName": CODE_CHANNEL,
        "InputMode": "File",
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": params.string("SourceUri", default),
                "S3DataDistributionType": "FullyReplicated",
            }
        },
    }


def common_job(
    plan: AlgorithmPlan,
    channels: tuple[ChannelPlan, ...],
    res: JobResources,
    params: PipelineParameters,
) -> Json:
    """The parts CreateTrainingJob and a tuning job's training definition share."""
    training: TrainingPlan = plan.training
    inputs = [_channel(plan, c, res, params) for c in channels]
    if training.framework is not None:
        inputs.append(_code_channel(plan, res, params))
    if training.in_file_system_subnet:
        assert res.fsx is not None
        subnets = [res.fsx.subnet_id]
    else:
        subnets = list(res.subnet_ids)
    stopping: Json = {"MaxRuntimeInSeconds": training.max_runtime_seconds}
    job: Json = {
        "RoleArn": res.job_role_arn,
        "InputDataConfig": inputs,
        "OutputDataConfig": {
            "S3OutputPath": s3_uri(res.artifacts_bucket, Purpose.MODELS, plan.name),
            "KmsKeyId": res.kms_key_arn,
        },
        "ResourceConfig": {
            "InstanceType": params.string("TrainingInstanceType", training.instance_type),
            "InstanceCount": params.integer("TrainingInstanceCount", training.instance_count),
            "VolumeSizeInGB": training.volume_size_gb,
        },
        "StoppingCondition": stopping,
        "VpcConfig": {"SecurityGroupIds": list(res.security_group_ids), "Subnets": subnets},
        "EnableNetworkIsolation": training.network_isolation,
        "EnableInterContainerTrafficEncryption": training.inter_container_encryption,
        "EnableManagedSpotTraining": training.spot is not None,
    }
    if training.encrypt_volume:
        job["ResourceConfig"]["VolumeKmsKeyId"] = res.kms_key_arn
    if training.spot is not None:
        stopping["MaxWaitTimeInSeconds"] = training.spot.max_wait_seconds
        if training.spot.checkpoints:
            job["CheckpointConfig"] = {
                "S3Uri": s3_uri(res.artifacts_bucket, Purpose.CHECKPOINTS, plan.name)
            }
    return job


def algorithm_specification(
    plan: AlgorithmPlan, res: JobResources, tuning: TuningPlan | None
) -> Json:
    """The image and input mode, and the tuning plan's metric definitions if it has any."""
    specification: Json = {
        "TrainingImage": res.training_image,
        "TrainingInputMode": plan.training.input_mode.value,
    }
    if tuning is not None and tuning.metric_definitions:
        specification["MetricDefinitions"] = [
            {"Name": n, "Regex": r} for n, r in tuning.metric_definitions
        ]
    return specification


def training_job(
    plan: AlgorithmPlan,
    res: JobResources,
    params: PipelineParameters,
    tuning: TuningPlan | None = None,
) -> Json:
    """CreateTrainingJob, less TrainingJobName (the pipeline names each run)."""
    return {
        "AlgorithmSpecification": algorithm_specification(plan, res, tuning),
        "HyperParameters": hyperparameters(plan, res, params),
        **common_job(plan, plan.training.channels, res, params),
    }
