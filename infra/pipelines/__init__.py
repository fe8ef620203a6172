"""Pipeline definitions built from plans, as plain dicts (rendered by the constructs)."""

from infra.pipelines.common import JobResources
from infra.pipelines.definitions import training_pipeline, tuning_pipeline

__all__ = ["JobResources", "training_pipeline", "tuning_pipeline"]
