"""The drift job's metric names agree with the catalog and the drift contract."""

from __future__ import annotations

import importlib.util

import pytest
from drift_checks import metrics

from infra.catalog.model_monitor import MODEL_QUALITY_METRICS

# The contract between the job and the drift infra (metric names both sides use).
CONTRACT = (
    "RowsAnalysed",
    "RowsRejected",
    "DriftedFeatureShare",
    "DatasetDrift",
    "FeatureDriftScore",
)


def test_quality_metric_names_are_model_monitors():
    assert {str(p): tuple(m) for p, m in MODEL_QUALITY_METRICS.items()} == metrics.QUALITY_METRICS


def test_drift_metric_names_are_the_contracts():
    assert metrics.DRIFT_METRICS == CONTRACT


@pytest.mark.skipif(
    importlib.util.find_spec("infra.catalog.drift") is None,
    reason="infra/catalog/drift.py (the infra side of the contract) is not on this branch",
)
def test_drift_metric_names_agree_with_the_infra_catalog():
    from infra.catalog import drift

    names = {v for k, v in vars(drift).items() if k.isupper() and isinstance(v, str)}
    assert set(CONTRACT) <= names
