"""Registration decisions: what the training and tuning pipelines register a model as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from infra.catalog.model import Algorithm, HostingSpec, ImageSpec, Processor

if TYPE_CHECKING:
    from infra.plan.endpoint import EndpointPlan


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
    # Where the package may be deployed: the catalog's default and the endpoint's type.
    instance_types: tuple[str, ...]


def plan_registration(
    algorithm: Algorithm,
    group: str,
    endpoint: EndpointPlan | None,
    also_served_on: tuple[tuple[str, Processor], ...] = (),
) -> RegistrationPlan:
    """`endpoint`: the real-time endpoint the packages will serve on, also while it
    waits for its first approved model (None: the algorithm has none);
    `also_served_on`: other endpoints' (instance type, processor), e.g. the async one."""
    hosting = algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    instance_types = {hosting.default_instance_type, *(t for t, _ in also_served_on)}
    processor = also_served_on[0][1] if also_served_on else Processor.CPU
    if endpoint is not None:
        instance_types.add(endpoint.instance_type)
        processor = endpoint.processor
    return RegistrationPlan(
        group=group,
        description=f"{algorithm.title}, trained by this stage's pipeline",
        image=algorithm.image,
        processor=processor,
        environment=hosting.environment,
        content_types=hosting.request_content_types,
        response_types=hosting.accept_types,
        instance_types=tuple(sorted(instance_types)),
    )
