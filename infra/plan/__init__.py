"""The plan: pure Python, where every decision and validation happens."""

from infra.plan.build import build_plan
from infra.plan.hosted import AlgorithmPlan
from infra.plan.stages import AppPlan, StagePlan

__all__ = ["AlgorithmPlan", "AppPlan", "StagePlan", "build_plan"]
