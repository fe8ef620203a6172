"""The committed tables must match the installed SageMaker SDK and botocore."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location(
        "generate_tables", ROOT / "scripts/generate_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_tables"] = module
    spec.loader.exec_module(module)
    return module


def test_registry_table_matches_the_sdk(generator) -> None:
    assert generator.REGISTRIES_PATH.read_text() == generator.registries_source(), (
        "infra/images/registries.py drifted from sagemaker-core: run `make tables`"
    )


def test_instance_type_table_matches_botocore(generator) -> None:
    assert generator.SAGEMAKER_API_PATH.read_text() == generator.sagemaker_api_source(), (
        "infra/catalog/sagemaker_api.py drifted from botocore: run `make tables`"
    )


def test_registry_groups_match_the_facts_file() -> None:
    from infra.images.registries import REGISTRY_ACCOUNTS

    # Facts §1b: region counts and us-east-1 accounts per map.
    expected = {
        "first-party-a": (37, "382416733822"),
        "first-party-b": (37, "811284229777"),
        "deepar": (37, "522234722520"),
        "lda": (16, "766337827248"),
        "xgboost": (37, "683313688378"),
        "model-monitor": (30, "156813124566"),
        "rl-ray": (13, "462105765813"),
    }
    actual = {g: (len(m), m["us-east-1"]) for g, m in REGISTRY_ACCOUNTS.items()}
    assert actual == expected
