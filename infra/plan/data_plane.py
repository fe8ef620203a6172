"""Data-plane decisions: FSx for Lustre sizing rules and retention."""

from __future__ import annotations

from infra.config.model import FsxConfig, RetentionConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.issues import Issues
from infra.plan.model import DISABLED, Disabled, FsxPlan, RetentionPlan

# FSx for Lustre: capacity 1.2 TiB, 2.4 TiB, then steps of 2.4 TiB for SCRATCH_2
# and PERSISTENT_2 (SSD); throughput per TiB for PERSISTENT_2.
_CAPACITY_STEP_GIB = 2400
_PERSISTENT_2_THROUGHPUT = (125, 250, 500, 1000)


def plan_fsx(config: FsxConfig, path: str, issues: Issues) -> FsxPlan | Disabled:
    if not config.enabled:
        return DISABLED
    capacity = config.storage_capacity_gib
    if capacity != 1200 and capacity % _CAPACITY_STEP_GIB != 0:
        issues.add(
            f"{path}.storage_capacity_gib",
            capacity,
            f"{config.deployment_type} takes 1200, 2400 or a multiple of 2400 GiB",
        )
    throughput = config.per_unit_storage_throughput
    if config.deployment_type == "PERSISTENT_2":
        if throughput is None:
            throughput = _PERSISTENT_2_THROUGHPUT[0]
        elif throughput not in _PERSISTENT_2_THROUGHPUT:
            issues.add(
                f"{path}.per_unit_storage_throughput",
                throughput,
                f"not a PERSISTENT_2 throughput in MB/s/TiB {allowed(_PERSISTENT_2_THROUGHPUT)}",
            )
    elif throughput is not None:
        issues.add(
            f"{path}.per_unit_storage_throughput",
            NO_VALUE,
            f"{config.deployment_type} has no per-unit throughput setting; remove it",
        )
    return FsxPlan(
        deployment_type=config.deployment_type,
        storage_capacity_gib=capacity,
        per_unit_storage_throughput=throughput,
    )


def plan_retention(config: RetentionConfig) -> RetentionPlan:
    return RetentionPlan(**config.model_dump())
