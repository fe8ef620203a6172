"""Instance-type facts: processor family, what the API offers, local storage."""

from __future__ import annotations

import pytest

from infra.catalog.instances import Use, has_local_storage, is_offered, parse
from infra.catalog.model import Processor


@pytest.mark.parametrize(
    ("name", "architecture_processor"),
    [
        ("ml.p3.2xlarge", Processor.GPU),
        ("ml.g4dn.xlarge", Processor.GPU),
        ("ml.c5.xlarge", Processor.CPU),
        ("ml.m7i-flex.large", Processor.CPU),
        ("ml.m6g.large", None),  # Graviton
        ("ml.inf2.xlarge", None),  # Inferentia
        ("ml.trn1.2xlarge", None),
    ],
)
def test_instance_classification(name: str, architecture_processor: Processor | None) -> None:
    instance = parse(name)
    assert instance is not None
    assert instance.processor is architecture_processor


def test_instance_offering_comes_from_the_api_model() -> None:
    assert not is_offered("ml.p3.xlarge", Use.TRAINING)  # no such size (facts §4, "sic")
    assert is_offered("ml.p3.2xlarge", Use.TRAINING)
    assert is_offered("ml.t2.medium", Use.HOSTING)
    assert not is_offered("ml.t2.medium", Use.TRAINING)
    assert parse("p3.2xlarge") is None


@pytest.mark.parametrize(
    ("name", "local"),
    [
        ("ml.m5.xlarge", False),
        ("ml.c5.2xlarge", False),
        ("ml.p3.2xlarge", False),
        ("ml.m5d.xlarge", True),
        ("ml.c6id.large", True),
        ("ml.g4dn.xlarge", True),
        ("ml.p3dn.24xlarge", True),
        ("ml.p4d.24xlarge", True),
        ("ml.g5.xlarge", True),
        ("ml.p5.48xlarge", True),
        ("ml.p6-b200.48xlarge", True),
    ],
)
def test_local_storage_instances(name: str, local: bool) -> None:
    assert has_local_storage(name) is local
