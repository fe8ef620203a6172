"""What every serving mode (real-time, serverless; algorithm or custom server) shares:
the refusal when hosting is not supported, the instance check, and the image."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.instances import Use
from infra.catalog.model import Algorithm, HostingSpec, ImageSpec, NotSupported, Processor
from infra.catalog.servers import ModelServer
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues


@dataclass(frozen=True, slots=True)
class HostingImage:
    """The container a hosted model runs, unless it is a model package (which names its own).

    A built-in algorithm runs its catalog image (`catalog`); a custom server runs
    this project's image asset built from containers/ for the model's processor
    (`catalog` None).
    """

    catalog: ImageSpec | None
    environment: tuple[tuple[str, str], ...] = ()


def unsupported(
    reason: NotSupported, enabled: bool | None, what: str, name: str, path: str, issues: Issues
) -> NotSupported:
    if enabled:
        issues.add(f"{path}.enabled", True, f"{name} cannot have {what}: {reason.reason}")
    return reason


def check_hosting_instance(
    algorithm: Algorithm | ModelServer,
    hosting: HostingSpec,
    instance_type: str,
    path: str,
    issues: Issues,
) -> Processor | None:
    return check_instance_type(
        algorithm=algorithm.name,
        use=Use.HOSTING,
        instance_type=instance_type,
        processors=hosting.processors,
        gpu_families=hosting.gpu_families,
        cpu_families=hosting.cpu_families,
        path=path,
        issues=issues,
    )


def hosting_image(algorithm: Algorithm | ModelServer, hosting: HostingSpec) -> HostingImage:
    """A built-in algorithm's catalog image, or the custom server's own image asset."""
    catalog = algorithm.image if isinstance(algorithm, Algorithm) else None
    return HostingImage(catalog=catalog, environment=hosting.environment)
