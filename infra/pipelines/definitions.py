"""SageMaker Pipelines definitions: train (or tune), then register the model."""

from __future__ import annotations

from infra.pipelines.baseline import baseline_job
from infra.pipelines.common import JobResources, Json, PipelineParameters, get
from infra.pipelines.drift import profile_job
from infra.pipelines.registration import model_package
from infra.pipelines.training import training_job
from infra.pipelines.tuning import tuning_job
from infra.plan.hosted import AlgorithmPlan
from infra.plan.monitoring import MonitorPlan
from infra.plan.tuning import TuningPlan
from infra.prefixes import Purpose, s3_uri

VERSION = "2020-12-01"
TRAIN, TUNE, REGISTER, BASELINE = "Train", "Tune", "RegisterModel", "Baseline"


def _definition(params: PipelineParameters, steps: list[Json]) -> Json:
    return {"Version": VERSION, "Metadata": {}, "Parameters": params.items, "Steps": steps}


def training_pipeline(plan: AlgorithmPlan, res: JobResources) -> Json:
    """Train once with the plan's settings; register the model if it can be hosted."""
    params = PipelineParameters()
    tuning = plan.tuning if isinstance(plan.tuning, TuningPlan) else None
    steps: list[Json] = [
        {"Name": TRAIN, "Type": "Training", "Arguments": training_job(plan, res, params, tuning)}
    ]
    if isinstance(plan.monitor, MonitorPlan):
        # Beside training, on the same data: what the monitoring schedules compare to
        # (the drift image's reference profile, or Model Monitor's statistics).
        job = profile_job if plan.monitor.drift_checks else baseline_job
        steps.append(
            {
                "Name": BASELINE,
                "Type": "Processing",
                "Arguments": job(plan, plan.monitor, res, params),
            }
        )
    if plan.registration is not None:
        model_data = get(f"Steps.{TRAIN}.ModelArtifacts.S3ModelArtifacts")
        steps.append(
            {
                "Name": REGISTER,
                "Type": "RegisterModel",
                "Arguments": model_package(plan.registration, res, params, model_data),
            }
        )
    return _definition(params, steps)


def tuning_pipeline(plan: AlgorithmPlan, tuning: TuningPlan, res: JobResources) -> Json:
    """Tune; register the best training job's model if it can be hosted."""
    params = PipelineParameters()
    steps: list[Json] = [
        {"Name": TUNE, "Type": "Tuning", "Arguments": tuning_job(plan, tuning, res, params)}
    ]
    if plan.registration is not None:
        # Training job summaries come best first; the model sits under the job's name.
        best_model = {
            "Std:Join": {
                "On": "/",
                "Values": [
                    s3_uri(res.artifacts_bucket, Purpose.MODELS, plan.name).rstrip("/"),
                    get(f"Steps.{TUNE}.TrainingJobSummaries[0].TrainingJobName"),
                    "output/model.tar.gz",
                ],
            }
        }
        steps.append(
            {
                "Name": REGISTER,
                "Type": "RegisterModel",
                "Arguments": model_package(plan.registration, res, params, best_model),
            }
        )
    return _definition(params, steps)
