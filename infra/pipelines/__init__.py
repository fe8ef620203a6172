"""Pipeline definitions built from plans, as plain dicts (rendered by the constructs)."""

from infra.pipelines.common import Baseline, FsxMount, JobResources, ModelRegistry
from infra.pipelines.definitions import training_pipeline, tuning_pipeline

__all__ = [
    "Baseline",
    "FsxMount",
    "JobResources",
    "ModelRegistry",
    "training_pipeline",
    "tuning_pipeline",
]
