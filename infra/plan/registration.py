"""Registration decisions: what the training and tuning pipelines register a model as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from infra.catalog.instances import parse
from infra.catalog.model import Algorithm, HostingSpec, ImageSpec, Processor

if TYPE_CHECKING:
    from infra.plan.endpoint import EndpointPlan
    from infra.plan.transform import TransformPlan


@dataclass(frozen=True, slots=True)
class RegistrationPlan:
    """A model package in this stage's group, pending manual approval."""

    group: str
    description: str
    image: ImageSpec  # the inference image
    processor: Processor  # of the inference image: the real-time endpoint's, else CPU
    environment: tuple[tuple[str, str], ...]
    content_types: tuple[str, ...]
    response_types: tuple[str, ...]
    # Where the package may be deployed: the endpoint's type, and the catalog's default
    # when it runs the same processor (a GPU package lists no CPU type).
    instance_types: tuple[str, ...]
    # Where its batch transform runs (empty: no transform planned).
    transform_instance_types: tuple[str, ...] = ()


def plan_registration(
    algorithm: Algorithm,
    group: str,
    endpoint: EndpointPlan | None,
    transform: TransformPlan | None = None,
    also_served_on: tuple[tuple[str, Processor], ...] = (),
) -> RegistrationPlan:
    """`endpoint`: the real-time endpoint the packages will serve on, also while it
    waits for its first approved model (None: the algorithm has none); `transform`: the
    batch transform they will run in, likewise (its instance type and formats are
    declared in the package too); `also_served_on`: other endpoints' (instance type,
    processor), e.g. the async one."""
    hosting = algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    if endpoint is not None:
        processor = endpoint.processor
    else:
        processor = also_served_on[0][1] if also_served_on else Processor.CPU
    default = parse(hosting.default_instance_type)
    instance_types = {t for t, _ in also_served_on}
    if default is not None and default.processor is processor:
        instance_types.add(hosting.default_instance_type)
    if endpoint is not None:
        instance_types.add(endpoint.instance_type)
    return RegistrationPlan(
        group=group,
        description=f"{algorithm.title}, trained by this stage's pipeline",
        image=algorithm.image,
        processor=processor,
        environment=hosting.environment,
        content_types=_with(
            hosting.request_content_types, transform.content_type if transform else None
        ),
        response_types=_with(hosting.accept_types, transform.accept if transform else None),
        instance_types=tuple(sorted(instance_types)),
        transform_instance_types=(transform.instance_type,) if transform is not None else (),
    )


def _with(types: tuple[str, ...], extra: str | None) -> tuple[str, ...]:
    return types if extra is None or extra in types else (*types, extra)
