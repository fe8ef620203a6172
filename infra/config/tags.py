"""User tags (`tags:` at app, stage and algorithm level), as the user wrote them.

The plan (`infra.plan.tags`) merges them in that order and checks them against AWS's
tag rules; here they are only a mapping of strings to strings.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Keys and values are checked in the plan, so every broken rule gets its own line.
UserTags = Annotated[dict[str, str], Field(default_factory=dict)]
