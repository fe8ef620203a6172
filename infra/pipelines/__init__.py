"""Pipeline definitions built from plans, as plain dicts (rendered by the constructs)."""

from infra.pipelines.definitions import training_pipeline, tuning_pipeline
from infra.pipelines.requests import JobResources

__all__ = ["JobResources", "training_pipeline", "tuning_pipeline"]
