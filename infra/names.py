"""Physical names: one function, stable across synths, within AWS's limits."""

from __future__ import annotations

import hashlib
import re

# Endpoint, endpoint config, model and model package group names: at most 63
# characters of [a-zA-Z0-9-], no leading or trailing hyphen.
SAGEMAKER_NAME_LIMIT = 63
_INVALID = re.compile(r"[^a-z0-9]+")
_HASH_LENGTH = 8


def physical_name(
    stage: str, algorithm: str | None, purpose: str, *, max_length: int = SAGEMAKER_NAME_LIMIT
) -> str:
    """`stage-algorithm-purpose`, lowercased, invalid characters folded to hyphens.

    Too long a name is cut and given a hash of the full name, so it stays unique
    and the same on every synth.
    """
    if max_length < _HASH_LENGTH + 2:
        raise ValueError(f"max_length {max_length} leaves no room for a unique name")
    parts = (p for p in (stage, algorithm, purpose) if p)
    name = "-".join(_INVALID.sub("-", p.lower()).strip("-") for p in parts)
    name = re.sub(r"-{2,}", "-", name).strip("-")
    if not name:
        raise ValueError("a physical name needs at least one letter or digit")
    if len(name) <= max_length:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH_LENGTH]
    return f"{name[: max_length - _HASH_LENGTH - 1].rstrip('-')}-{digest}"


# Every model carries the name of what it serves (a catalog algorithm or one of our
# servers): a model package names no image, so the rule packs and the review read it
# here, and Cost Explorer splits cost by it.
SERVES_TAG = "sagemaker-algorithms:serves"

# The bootstrap qualifier `cdk bootstrap` uses unless given --qualifier.
CDK_DEFAULT_QUALIFIER = "hnb659fds"

# The delivery pipeline's stack id in the app, beside one `cdk.Stage` per stage name
# (and CodePipeline's `cross-region-stack-<account>:<region>` support stacks).
PIPELINE_STACK_ID = "Pipeline"
# The stage's streaming stack, and its output naming the scorer function (a
# CDK-generated name): preflight reads the deployed function's reservation through it.
STREAMING_STACK_ID = "Streaming"
SCORER_FUNCTION_OUTPUT = "ScorerFunctionName"
STREAM_OUTPUT = "StreamName"  # the stream the scorer reads (preflight counts its shards)


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to (ARNs and deployments stay inside one)."""
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"
