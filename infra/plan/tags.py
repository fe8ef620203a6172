"""Cost allocation tags: the user's (`tags:` at app, stage and algorithm level, merged
in that order, the later overriding a key) and this project's own, per stack.

Every key and value is checked against the strictest rules among the services the
stacks tag, so a tag accepted here is accepted by every resource:

- SageMaker's Tag shape (botocore `sagemaker` model, `TagKey`/`TagValue`; Lambda, FSx
  and CloudWatch Logs use the same pattern): keys 1-128 and values 0-256 characters of
  Unicode letters, separators and digits and `_ . : / = + - @`; at most 50 tags
  (`TagList` max 50);
- AWS's reserved prefix: keys starting with `aws:` are AWS's own ("Tag naming limits
  and requirements", AWS Tagging Best Practices), and `sagemaker-algorithms:` is
  this project's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from infra.errors import NO_VALUE
from infra.plan.issues import Issues

PROJECT_PREFIX = "sagemaker-algorithms:"
STAGE_TAG = f"{PROJECT_PREFIX}stage"
ALGORITHM_TAG = f"{PROJECT_PREFIX}algorithm"
COMPONENT_TAG = f"{PROJECT_PREFIX}component"
# The most of this project's tags one resource carries: stage, algorithm, and the
# `serves` tag on models (infra.names.SERVES_TAG).
PROJECT_TAGS_PER_RESOURCE = 3
MAX_TAGS_PER_RESOURCE = 50
_KEY_LENGTH, _VALUE_LENGTH = 128, 256
_SYMBOLS = frozenset("_.:/=+-@")

Tags = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class StageTags:
    """The tags of a stage's stacks: `stage` for the stage-wide ones (Foundation), and
    per hosted algorithm or custom server (its stack; the stream scorer's stack takes
    the scorer's)."""

    stage: Tags = ()
    hosted: tuple[tuple[str, Tags], ...] = ()

    def of(self, name: str) -> Tags:
        return dict(self.hosted).get(name, self.stage)


NO_TAGS = StageTags()


def _bad_character(text: str) -> str | None:
    for char in text:
        if char in _SYMBOLS or unicodedata.category(char)[0] in "LZN":
            continue
        return char
    return None


def check_user_tags(tags: Mapping[str, str], path: str, issues: Issues) -> None:
    """Each key and value a user wrote at one level, one line per broken rule."""
    for key, value in tags.items():
        where = f"{path}.{key}"
        allowed = "letters, digits, spaces and _ . : / = + - @"
        if not 1 <= len(key) <= _KEY_LENGTH:
            issues.add(where, NO_VALUE, f"a tag key has 1 to {_KEY_LENGTH} characters")
        elif (char := _bad_character(key)) is not None:
            issues.add(where, NO_VALUE, f"a tag key may not hold {char!r} ({allowed})")
        elif key.lower().startswith("aws:"):
            issues.add(where, NO_VALUE, "the aws: prefix is reserved for AWS's own tags")
        elif key.startswith(PROJECT_PREFIX):
            issues.add(where, NO_VALUE, f"the {PROJECT_PREFIX} prefix is reserved for this project")
        if len(value) > _VALUE_LENGTH:
            issues.add(where, value, f"a tag value has at most {_VALUE_LENGTH} characters")
        elif (char := _bad_character(value)) is not None:
            issues.add(where, value, f"a tag value may not hold {char!r} ({allowed})")


def _merge(*levels: Mapping[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for level in levels:
        merged.update(level)
    return merged


def plan_stage_tags(
    stage: str,
    *,
    app_tags: Mapping[str, str],
    stage_tags: Mapping[str, str],
    hosted: Mapping[str, tuple[str, Mapping[str, str]]],
    path: str,
    issues: Issues,
) -> StageTags:
    """Merge app, stage and per-algorithm tags; refuse more than a resource can carry."""
    base = _merge(app_tags, stage_tags)
    room = MAX_TAGS_PER_RESOURCE - PROJECT_TAGS_PER_RESOURCE
    if len(base) > room:
        issues.add(
            f"{path}.tags",
            NO_VALUE,
            f"{len(base)} tags with the app's; with this project's {PROJECT_TAGS_PER_RESOURCE} "
            f"a resource would carry over {MAX_TAGS_PER_RESOURCE} (allowed: at most {room})",
        )
    per_hosted = []
    for name, (where, tags) in hosted.items():
        merged = _merge(base, tags)
        if len(merged) > room and len(base) <= room:
            issues.add(
                f"{where}.tags",
                NO_VALUE,
                f"{len(merged)} tags with the stage's and app's; with this project's "
                f"{PROJECT_TAGS_PER_RESOURCE} a resource would carry over "
                f"{MAX_TAGS_PER_RESOURCE} (allowed: at most {room})",
            )
        per_hosted.append((name, _sorted({**merged, STAGE_TAG: stage, ALGORITHM_TAG: name})))
    return StageTags(stage=_sorted({**base, STAGE_TAG: stage}), hosted=tuple(per_hosted))


def _sorted(tags: Mapping[str, str]) -> Tags:
    return tuple(sorted(tags.items()))
