"""CreateHyperParameterTuningJob for one algorithm's tuning plan."""

from __future__ import annotations

from infra.catalog.tuning import CategoricalRange, ContinuousRange, IntegerRange, ParameterRange
from infra.pipelines.common import JobResources, Json, PipelineParameters
from infra.pipelines.training import algorithm_specification, common_job, hyperparameters
from infra.plan.hosted import AlgorithmPlan
from infra.plan.tuning import TuningPlan


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
    if tuning.stops_at_max_jobs:
        limits["MaxNumberOfTrainingJobs"] = tuning.max_jobs
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
            "AlgorithmSpecification": algorithm_specification(plan, res, tuning),
            "StaticHyperParameters": {
                k: v
                for k, v in {
                    **hyperparameters(plan, res, params),
                    **dict(tuning.hyperparameter_overrides),
                }.items()
                if k not in tuned
            },
            **common_job(plan, tuning.channels, res, params),
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
