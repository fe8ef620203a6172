"""Recorded approved model packages, as `python -m infra models refresh` writes them into
cdk.context.json, for synthesizing a config as it is once its models are approved."""

from __future__ import annotations

from infra.cli import load_plan
from infra.config.stages import AppConfig
from infra.plan import AppPlan, build_plan
from infra.plan.models import ApprovedPackage, Registry
from infra.plan.registries import followed

TEST_ACCOUNT, TEST_REGION = "123456789012", "us-east-1"


def package(registry: Registry, version: int = 1) -> ApprovedPackage:
    account = registry.account or TEST_ACCOUNT
    region = registry.region or TEST_REGION
    algorithm = registry.group.removeprefix(f"{registry.stage}-").removesuffix("-models")
    return ApprovedPackage(
        arn=f"arn:aws:sagemaker:{region}:{account}:model-package/{registry.group}/{version}",
        version=version,
        model_data_url=f"s3://{registry.stage}-artifacts-{account}/models/{algorithm}/"
        f"pipelines-run{version}/output/model.tar.gz",
    )


def registries(config: str | AppPlan) -> list[Registry]:
    """Every registry the config's (or plan's) endpoints follow."""
    plan = load_plan(config, records={}) if isinstance(config, str) else config
    return followed(plan.stages)


def approved_everywhere(config: str | AppPlan, version: int = 1) -> dict[str, object]:
    """A record for every registry the config follows: every endpoint has its model."""
    return {r.context_key: package(r, version).to_context() for r in registries(config)}


def plan_approved(config: AppConfig, source: str) -> AppPlan:
    """The plan of `config` once every registry it follows has an approved package."""
    records = approved_everywhere(build_plan(config, source))
    return build_plan(config, source, records=records)
