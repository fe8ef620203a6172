"""The algorithm catalog: typed, immutable facts about each SageMaker algorithm.

Everything that says "this algorithm can / cannot" reads it. No CDK, no config.
"""

from __future__ import annotations

from types import MappingProxyType

from infra.catalog.algorithms import (
    blazingtext,
    deepar,
    factorization_machines,
    image_classification,
    ipinsights,
    kmeans,
    knn,
    lda,
    linear_learner,
    ntm,
    object2vec,
    object_detection,
    pca,
    randomcutforest,
    reinforcement_learning,
    semantic_segmentation,
    seq2seq,
    xgboost,
)
from infra.catalog.model import Algorithm

_MODULES = (
    linear_learner,
    xgboost,
    seq2seq,
    deepar,
    blazingtext,
    object2vec,
    object_detection,
    image_classification,
    semantic_segmentation,
    randomcutforest,
    ntm,
    lda,
    knn,
    kmeans,
    pca,
    factorization_machines,
    ipinsights,
    reinforcement_learning,
)

CATALOG: MappingProxyType[str, Algorithm] = MappingProxyType(
    {m.ALGORITHM.name: m.ALGORITHM for m in _MODULES}
)
"""Every algorithm by its config name, in a fixed order."""

ALGORITHM_NAMES: tuple[str, ...] = tuple(CATALOG)
