"""SageMaker API requests for one algorithm, as plain dicts (no CDK).

Values that come from other resources (role, buckets, key, subnets, image) are
passed in as strings: CDK tokens in a stack, placeholders in tests. Values a
pipeline run may change are pipeline parameters (`{"Get": "Parameters.X"}`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from infra.catalog.instances import has_local_storage
from infra.catalog.model import (
    CategoricalRange,
    ContinuousRange,
    HostingSpec,
    IntegerRange,
    ParameterRange,
)
from infra.catalog.model_monitor import (
    MONITOR_JOB_INSTANCE_COUNT,
    MONITOR_JOB_MAX_RUNTIME_SECONDS,
    MONITOR_JOB_VOLUME_GB,
)
from infra.plan.model import (
    AlgorithmPlan,
    ChannelPlan,
    EndpointPlan,
    MonitorPlan,
    TrainingPlan,
    TuningPlan,
)
from infra.prefixes import Purpose, fsx_directory, s3_uri

Json = dict[str, Any]
MODEL_APPROVAL_STATUS = "PendingManualApproval"
# Where a framework container finds its source when network isolation keeps it
# from downloading anything: SageMaker copies the `code` channel there.
CODE_CHANNEL = "code"
SOURCE_TARBALL = "sourcedir.tar.gz"


@dataclass(frozen=True)
class JobResources:
    """What the requests refer to; strings (CDK tokens when rendered in a stack)."""

    region: str
    job_role_arn: str
    training_image: str
    inference_image: str | None
    data_bucket: str
    artifacts_bucket: str
    kms_key_arn: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    model_package_group: str | None = None
    analyzer_image: str | None = None  # Model Monitor's, for the baseline step
    file_system_id: str | None = None
    file_system_mount_name: str | None = None
    file_system_subnet_id: str | None = None


def get(path: str) -> Json:
    return {"Get": path}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


@dataclass
class PipelineParameters:
    """The pipeline's parameters, collected as the requests refer to them."""

    items: list[Json] = field(default_factory=list)

    def _add(self, name: str, kind: str, default: object) -> Json:
        if all(p["Name"] != name for p in self.items):
            self.items.append({"Name": name, "Type": kind, "DefaultValue": default})
        return get(f"Parameters.{name}")

    def string(self, name: str, default: str) -> Json:
        return self._add(name, "String", default)

    def integer(self, name: str, default: int) -> Json:
        return self._add(name, "Integer", default)


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
        assert res.file_system_id
        assert res.file_system_mount_name
        directory = fsx_directory(res.file_system_mount_name, name, channel.name)
        source = {
            "FileSystemDataSource": {
                "FileSystemId": res.file_system_id,
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


def _hyperparameters(plan: AlgorithmPlan, res: JobResources, params: PipelineParameters) -> Json:
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


def _common_job(
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
    # FSx is single-AZ: a job reading it runs in the file system's subnet only.
    reads_fsx = any(c.from_file_system for c in channels)
    subnets = [res.file_system_subnet_id] if reads_fsx else list(res.subnet_ids)
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
        "EnableNetworkIsolation": True,
        # The instance count is a run-time parameter, so encrypt whenever the
        # algorithm can run on several instances, not only when the default does.
        "EnableInterContainerTrafficEncryption": training.distributed
        or plan.algorithm.training.multi_instance,
        "EnableManagedSpotTraining": training.spot is not None,
    }
    if training.volume_encryption_key:
        job["ResourceConfig"]["VolumeKmsKeyId"] = res.kms_key_arn
    if training.spot is not None:
        stopping["MaxWaitTimeInSeconds"] = training.spot.max_wait_seconds
        if training.spot.checkpoints:
            job["CheckpointConfig"] = {
                "S3Uri": s3_uri(res.artifacts_bucket, Purpose.CHECKPOINTS, plan.name)
            }
    return job


def _metric_definitions(tuning: TuningPlan | None) -> list[Json]:
    if tuning is None:
        return []
    return [{"Name": n, "Regex": r} for n, r in tuning.metric_definitions]


def training_job(
    plan: AlgorithmPlan,
    res: JobResources,
    params: PipelineParameters,
    tuning: TuningPlan | None = None,
) -> Json:
    """CreateTrainingJob, less TrainingJobName (the pipeline names each run)."""
    algorithm_specification: Json = {
        "TrainingImage": res.training_image,
        "TrainingInputMode": plan.training.input_mode.value,
    }
    if metrics := _metric_definitions(tuning):
        algorithm_specification["MetricDefinitions"] = metrics
    return {
        "AlgorithmSpecification": algorithm_specification,
        "HyperParameters": _hyperparameters(plan, res, params),
        **_common_job(plan, plan.training.channels, res, params),
    }


def _range(parameter_range: ParameterRange) -> tuple[str, Json]:
    if isinstance(parameter_range, CategoricalRange):
        return "CategoricalParameterRanges", {
            "Name": parameter_range.name,
            "Values": list(parameter_range.values),
        }
    kind = (
        "IntegerParameterRanges"
        if isinstance(parameter_range, IntegerRange)
        else "ContinuousParameterRanges"
    )
    assert isinstance(parameter_range, IntegerRange | ContinuousRange)
    return kind, {
        "Name": parameter_range.name,
        "MinValue": str(parameter_range.min_value),
        "MaxValue": str(parameter_range.max_value),
        "ScalingType": parameter_range.scaling.value,
    }


def tuning_job(
    plan: AlgorithmPlan, tuning: TuningPlan, res: JobResources, params: PipelineParameters
) -> Json:
    """CreateHyperParameterTuningJob, less the job name."""
    ranges: dict[str, list[Json]] = {}
    for parameter_range in tuning.ranges:
        kind, rendered = _range(parameter_range)
        ranges.setdefault(kind, []).append(rendered)
    tuned = {r.name for r in tuning.ranges}
    limits: Json = {"MaxParallelTrainingJobs": tuning.max_parallel_jobs}
    if tuning.strategy != "Grid":  # a grid search runs every combination
        limits["MaxNumberOfTrainingJobs"] = tuning.max_jobs
    algorithm_specification: Json = {
        "TrainingImage": res.training_image,
        "TrainingInputMode": plan.training.input_mode.value,
    }
    if metrics := _metric_definitions(tuning):
        algorithm_specification["MetricDefinitions"] = metrics
    request: Json = {
        "HyperParameterTuningJobConfig": {
            "Strategy": tuning.strategy,
            "HyperParameterTuningJobObjective": {
                "Type": tuning.objective.direction.value,
                "MetricName": tuning.objective.name,
            },
            "ResourceLimits": limits,
            "ParameterRanges": ranges,
            "TrainingJobEarlyStoppingType": "Auto" if tuning.early_stopping else "Off",
        },
        "TrainingJobDefinition": {
            "AlgorithmSpecification": algorithm_specification,
            "StaticHyperParameters": {
                k: v
                for k, v in {
                    **_hyperparameters(plan, res, params),
                    **dict(tuning.hyperparameter_overrides),
                }.items()
                if k not in tuned
            },
            **_common_job(plan, tuning.channels, res, params),
        },
    }
    if tuning.warm_start_from:
        request["WarmStartConfig"] = {
            "ParentHyperParameterTuningJobs": [
                {"HyperParameterTuningJobName": name} for name in tuning.warm_start_from
            ],
            "WarmStartType": "IdenticalDataAndAlgorithm",
        }
    return request


def model_package(
    plan: AlgorithmPlan, res: JobResources, params: PipelineParameters, model_data: Json | str
) -> Json:
    """CreateModelPackage into the algorithm's group, pending manual approval."""
    hosting = plan.algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    assert res.model_package_group
    assert res.inference_image
    instance_types = {hosting.default_instance_type}
    if isinstance(plan.endpoint, EndpointPlan):
        instance_types.add(plan.endpoint.instance_type)
    container: Json = {"Image": res.inference_image, "ModelDataUrl": model_data}
    if hosting.environment:
        container["Environment"] = dict(hosting.environment)
    return {
        "ModelPackageGroupName": res.model_package_group,
        "ModelPackageDescription": f"{plan.algorithm.title}, trained by this stage's pipeline",
        "ModelApprovalStatus": params.string("ModelApprovalStatus", MODEL_APPROVAL_STATUS),
        "InferenceSpecification": {
            "Containers": [container],
            "SupportedContentTypes": list(hosting.request_content_types),
            "SupportedResponseMIMETypes": list(hosting.accept_types),
            "SupportedRealtimeInferenceInstanceTypes": sorted(instance_types),
        },
    }


BASELINE_INPUT = "/opt/ml/processing/input/baseline_dataset_input"
BASELINE_OUTPUT = "/opt/ml/processing/output"


def baseline_job(
    plan: AlgorithmPlan, monitor: MonitorPlan, res: JobResources, params: PipelineParameters
) -> Json:
    """CreateProcessingJob for Model Monitor's analyzer: statistics and constraints.

    The analyzer reads headerless CSV in the column order of inference requests and
    writes statistics.json and constraints.json to baselines/<algorithm>/, where the
    monitoring schedules read them.
    """
    assert res.analyzer_image is not None
    if monitor.baseline_uri:
        default = monitor.baseline_uri
    else:
        channel = "train" if monitor.baseline_from_train_channel else "baseline"
        default = s3_uri(res.data_bucket, Purpose.TRAINING, plan.name, channel)
    cluster: Json = {
        "InstanceCount": MONITOR_JOB_INSTANCE_COUNT,
        "InstanceType": monitor.instance_type,
        "VolumeSizeInGB": MONITOR_JOB_VOLUME_GB,
    }
    if not has_local_storage(monitor.instance_type):
        cluster["VolumeKmsKeyId"] = res.kms_key_arn
    return {
        "ProcessingResources": {"ClusterConfig": cluster},
        "AppSpecification": {"ImageUri": res.analyzer_image},
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
        "StoppingCondition": {"MaxRuntimeInSeconds": MONITOR_JOB_MAX_RUNTIME_SECONDS},
        "RoleArn": res.job_role_arn,
        "NetworkConfig": {
            "EnableNetworkIsolation": True,
            "EnableInterContainerTrafficEncryption": True,
            "VpcConfig": {
                "SecurityGroupIds": list(res.security_group_ids),
                "Subnets": list(res.subnet_ids),
            },
        },
    }
