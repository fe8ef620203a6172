"""Batch transform overrides: an offline scoring pipeline per hostable algorithm."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.transform import MAX_FILTER_LENGTH, MAX_INSTANCE_COUNT, MAX_PAYLOAD_MB
from infra.config.fields import ScheduleExpression, Strict

# A JSONPath expression as DataProcessing takes it: from the root `$`, at most 63 characters.
JsonPath = Annotated[str, Field(pattern=r"^\$\S*$", max_length=MAX_FILTER_LENGTH)]


class TransformConfig(Strict):
    """Overrides for the `<stage>-<algorithm>-transform` pipeline (off unless enabled).

    The model is the one the real-time endpoint would serve (pinned in `endpoint`, or
    the newest approved package); until one exists the pipeline waits.
    """

    enabled: bool = False
    # Unset: the algorithm's hosting default, if batch transform offers it.
    instance_type: str | None = None
    # The default of the run-time parameter TransformInstanceCount.
    instance_count: Annotated[int, Field(ge=1, le=MAX_INSTANCE_COUNT)] = 1
    # Unset: the catalog's first batch content type and Accept for the algorithm.
    content_type: str | None = None
    accept: str | None = None
    batch_strategy: Literal["MultiRecord", "SingleRecord"] | None = None
    # 0 (chunked encoding) is not for built-ins; see infra/catalog/transform.py.
    max_payload_mb: Annotated[int, Field(ge=1, le=MAX_PAYLOAD_MB)] = 6
    # Unset: SageMaker's choice for built-ins (the API: "you don't need to set a value").
    max_concurrent_transforms: Annotated[int, Field(ge=1, le=MAX_PAYLOAD_MB)] | None = None
    # Join each result with its input record (JoinSource Input), so results carry their
    # ids. Unset: wherever the content type can be joined (CSV, JSON, JSON Lines).
    join_input: bool | None = None
    # Unset: CSV drops the first column (the id) before inference and keeps the id and
    # the result; JSON keeps the record and writes its `id` beside SageMakerOutput.
    input_filter: JsonPath | None = None
    output_filter: JsonPath | None = None
    schedule: ScheduleExpression | None = None
