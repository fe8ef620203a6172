"""Field types and the strict base every config section shares."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

StageName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,19}$")]

S3Uri = Annotated[str, Field(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")]

# An object: a bucket alone, or a prefix ending in "/", is no model or tarball.
S3ObjectUri = Annotated[str, Field(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S*[^/\s]$")]


def _schedule_expression(expression: str) -> str:
    """EventBridge Scheduler's own rules, beyond the pattern (Scheduler user guide,
    "Schedule types"): a rate's value is positive, singular units for 1 and plural ones
    for more; a cron gives day-of-month or day-of-week, the other is `?`."""
    if expression.startswith("rate("):
        value, unit = expression[5:-1].split(" ")
        if int(value) < 1:
            raise ValueError("a rate must be at least 1")
        if (int(value) == 1) == unit.endswith("s"):
            want = unit.rstrip("s") if int(value) == 1 else f"{unit}s"
            raise ValueError(f"write rate({value} {want})")
    else:
        fields = expression[5:-1].split(" ")
        day_of_month, day_of_week = fields[2], fields[4]
        if (day_of_month == "?") == (day_of_week == "?"):
            raise ValueError("give day-of-month or day-of-week, and ? in the other")
    return expression


# EventBridge Scheduler expressions (rate or cron); at() one-offs make no sense here.
ScheduleExpression = Annotated[
    str,
    Field(pattern=r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$"),
    AfterValidator(_schedule_expression),
]


class Strict(BaseModel):
    # strict: YAML gives real types, so "2" for a count or 123456789012 for an
    # account id (which would lose leading zeros) is a mistake worth reporting.
    # No .nan or .inf where a number is expected: no AWS limit or setting takes them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


AccountId = Annotated[str, Field(pattern=r"^\d{12}$")]

# `cdk bootstrap --qualifier`: it names the bootstrap bucket, so lowercase letters and digits.
BootstrapQualifier = Annotated[str, Field(pattern=r"^[a-z0-9]{1,10}$")]
