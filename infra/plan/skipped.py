"""Why a capability is absent from a plan.

Constructs render plans; they do not decide. A capability an algorithm cannot
have is `NotSupported(reason)`; one the config switched off is `DISABLED`; one
waiting for what it reads (a model, a baseline) is `Waiting`.
"""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.model import NotSupported
from infra.plan.models import Waiting


@dataclass(frozen=True, slots=True)
class Disabled:
    """Switched off in config."""

    reason: str = "off in config"


DISABLED = Disabled()

Skipped = NotSupported | Disabled | Waiting
