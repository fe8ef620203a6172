"""Data-plane decisions: FSx for Lustre sizing rules and retention."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.data_plane import FsxConfig, NetworkConfig, RetentionConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.issues import Issues
from infra.plan.skipped import DISABLED, Disabled


@dataclass(frozen=True, slots=True)
class FsxPlan:
    deployment_type: str
    storage_capacity_gib: int
    per_unit_storage_throughput: int | None
    subnet_id: str | None  # in an imported VPC; None: the network's first subnet


@dataclass(frozen=True, slots=True)
class SubnetPlan:
    id: str
    availability_zone: str
    route_table_id: str | None


@dataclass(frozen=True, slots=True)
class NetworkPlan:
    """The stage's VPC: created (`imported_vpc_id` None) or imported from ids."""

    cidr: str
    imported_vpc_id: str | None = None
    subnets: tuple[SubnetPlan, ...] = ()  # imported subnets only
    endpoints: bool = True
    flow_logs: bool = True


CREATED_NETWORK_CIDR = "10.40.0.0/16"


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    noncurrent_versions_days: int
    capture_days: int
    monitoring_reports_days: int
    access_logs_days: int  # the buckets' server access logs
    # Every CloudWatch log group of the stage: VPC flow logs, API access logs, the
    # stream scorer's logs (config key `retention.flow_logs_days`).
    logs_days: int


# FSx for Lustre: capacity 1.2 TiB, 2.4 TiB, then steps of 2.4 TiB for SCRATCH_2
# and PERSISTENT_2 (SSD); throughput per TiB for PERSISTENT_2.
_CAPACITY_STEP_GIB = 2400
_PERSISTENT_2_THROUGHPUT = (125, 250, 500, 1000)


def plan_network(
    config: NetworkConfig | None, region: str | None, path: str, issues: Issues
) -> NetworkPlan:
    if config is None:
        return NetworkPlan(cidr=CREATED_NETWORK_CIDR)
    if not 16 <= config.cidr.prefixlen <= 28:
        # "The smallest VPC you can create uses a /28 netmask (16 IP addresses), and the
        # largest uses a /16 netmask (65,536 IP addresses)" (EC2 API reference, CreateVpc,
        # as the AWS SDKs' docs quote it; Amazon VPC User Guide, "VPC CIDR blocks"). A
        # wider block is no VPC's, and would open the endpoints' HTTPS rule beyond the
        # VPC (0.0.0.0/0: to any address).
        issues.add(
            f"{path}.cidr",
            str(config.cidr),
            "must be the VPC's own CIDR block, /16 to /28 (a VPC is no larger than /16)",
        )
    ids = [s.id for s in config.subnets]
    zones = {s.availability_zone for s in config.subnets}
    if len(ids) < 2 or len(zones) < 2:
        issues.add(
            f"{path}.subnets",
            ids,
            "an imported VPC needs private subnets in at least two availability zones",
        )
    for index, subnet in enumerate(config.subnets):
        where = f"{path}.subnets.{index}"
        if ids.count(subnet.id) > 1 and ids.index(subnet.id) != index:
            issues.add(f"{where}.id", subnet.id, "listed twice")
        if region is not None and not subnet.availability_zone.startswith(region):
            issues.add(
                f"{where}.availability_zone",
                subnet.availability_zone,
                f"not an availability zone of the stage's region {region}",
            )
        if config.endpoints and subnet.route_table_id is None:
            issues.add(
                f"{where}.route_table_id",
                NO_VALUE,
                "required to attach the S3 gateway endpoint (or set endpoints: false)",
            )
    return NetworkPlan(
        cidr=str(config.cidr),
        imported_vpc_id=config.vpc_id,
        subnets=tuple(
            SubnetPlan(s.id, s.availability_zone, s.route_table_id) for s in config.subnets
        ),
        endpoints=config.endpoints,
        flow_logs=config.flow_logs,
    )


def plan_fsx(
    config: FsxConfig, network: NetworkPlan, path: str, issues: Issues
) -> FsxPlan | Disabled:
    if not config.enabled:
        return DISABLED
    if config.subnet_id is not None:
        subnet_ids = [s.id for s in network.subnets]
        if network.imported_vpc_id is None:
            issues.add(
                f"{path}.subnet_id",
                config.subnet_id,
                "only with an imported VPC (network.vpc_id); a created VPC places FSx itself",
            )
        elif config.subnet_id not in subnet_ids:
            issues.add(
                f"{path}.subnet_id",
                config.subnet_id,
                f"not one of the VPC's subnets {allowed(subnet_ids)}",
            )
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
        subnet_id=config.subnet_id,
    )


def plan_retention(config: RetentionConfig) -> RetentionPlan:
    return RetentionPlan(
        noncurrent_versions_days=config.noncurrent_versions_days,
        capture_days=config.capture_days,
        monitoring_reports_days=config.monitoring_reports_days,
        access_logs_days=config.access_logs_days,
        # The config key predates the other log groups; it sets them all.
        logs_days=config.flow_logs_days,
    )
