"""What kind of machine an `ml.*` instance type is, and where SageMaker offers it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from infra.catalog.model import Processor
from infra.catalog.sagemaker_api import (
    HOSTING_INSTANCE_TYPES,
    PROCESSING_INSTANCE_TYPES,
    TRAINING_INSTANCE_TYPES,
    TRANSFORM_INSTANCE_TYPES,
)

_NAME = re.compile(r"^ml\.(?P<family>[a-z0-9-]+)\.(?P<size>[a-z0-9]+)$")
_FAMILY = re.compile(
    r"^(?P<series>[a-z]+)(?P<generation>\d+)(?P<attributes>[a-z]*)(?:-[a-z0-9]+)?$"
)


class Use(StrEnum):
    TRAINING = "training"
    HOSTING = "hosting"
    PROCESSING = "processing"
    TRANSFORM = "transform"


OFFERED: dict[Use, frozenset[str]] = {
    Use.TRAINING: TRAINING_INSTANCE_TYPES,
    Use.HOSTING: HOSTING_INSTANCE_TYPES,
    Use.PROCESSING: PROCESSING_INSTANCE_TYPES,
    Use.TRANSFORM: TRANSFORM_INSTANCE_TYPES,
}


class Architecture(StrEnum):
    X86_CPU = "x86 CPU"
    NVIDIA_GPU = "NVIDIA GPU"
    GRAVITON = "Graviton (arm64)"
    ACCELERATOR = "Inferentia/Trainium/Gaudi accelerator"


@dataclass(frozen=True, slots=True)
class InstanceType:
    name: str
    family: str  # "g4dn" in "ml.g4dn.xlarge"
    architecture: Architecture

    @property
    def processor(self) -> Processor | None:
        """CPU or GPU for what built-in (x86, CUDA) images can run on; None otherwise."""
        return {
            Architecture.X86_CPU: Processor.CPU,
            Architecture.NVIDIA_GPU: Processor.GPU,
        }.get(self.architecture)


def parse(name: str) -> InstanceType | None:
    """Classify `name`; None when it is not of the `ml.<family>.<size>` form."""
    match = _NAME.match(name)
    family_match = match and _FAMILY.match(match["family"])
    if not match or not family_match:
        return None
    series, attributes = family_match["series"], family_match["attributes"]
    if series in ("p", "g", "gr"):
        architecture = Architecture.NVIDIA_GPU
    elif series in ("inf", "trn", "dl"):
        architecture = Architecture.ACCELERATOR
    elif "g" in attributes:  # m6g, c7gn, r6gd: Graviton
        architecture = Architecture.GRAVITON
    else:
        architecture = Architecture.X86_CPU
    return InstanceType(name, match["family"], architecture)


# Families whose instances carry local NVMe instance storage without saying so with
# a "d" (g4dn, m5d, c6id, p3dn, p4d … say it). The API refuses a KMS key for such
# storage volumes: "You can't request a KmsKeyId when using an instance type with
# local storage" (CreateEndpointConfig, ResourceConfig.VolumeKmsKeyId). Listing a
# family here only drops our key (the storage is hardware-encrypted anyway);
# missing one fails the call, so the list leans wide.
_LOCAL_STORAGE_FAMILIES = frozenset(
    {"g5", "g6", "g6e", "g7", "g7e", "gr6", "p5", "p5e", "p5en", "p6", "p6e", "trn1", "trn2", "dl1"}
)


def has_local_storage(name: str) -> bool:
    """True for instance types with local instance storage (no KMS key on their volume)."""
    instance = parse(name)
    if instance is None:
        return False
    family = _FAMILY.match(instance.family)
    assert family is not None
    base = instance.family.split("-")[0]
    return (
        "d" in family["attributes"]
        or base in _LOCAL_STORAGE_FAMILIES
        or (family["series"] + family["generation"] in _LOCAL_STORAGE_FAMILIES)
    )


def is_offered(name: str, use: Use) -> bool:
    """True when the SageMaker API accepts `name` for `use`."""
    return name in OFFERED[use]
