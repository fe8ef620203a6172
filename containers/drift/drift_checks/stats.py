"""Per-feature drift: an effect size that must be large AND statistically significant.

Kinds (as Evidently's automatic choice for large data, docs "Data drift" / "How it
works"): a column with at most CATEGORICAL_MAX_UNIQUE distinct values in the reference
sample is categorical, any other numeric.

- numeric: Wasserstein-1 distance divided by the reference standard deviation
  ("wasserstein_norm", Evidently's default for >1000 rows), drifted when > 0.1 (the mean
  moved by a tenth of a standard deviation, or the equivalent change of shape) and the
  two-sample Kolmogorov-Smirnov p-value is below ALPHA / number of features.
- categorical: Jensen-Shannon distance (base 2, 0..1) of the category shares, unseen
  current values in one extra bucket (Evidently's default for >1000 rows), drifted when
  > 0.1 and the chi-squared test of the 2 x k count table is below ALPHA / features.

A distance converges to the true distance as samples grow, so on large windows a
negligible shift stays under the threshold (a p-value alone flags it: see README); on
small windows the distance is noisy, and the Bonferroni-corrected test keeps noise out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

CATEGORICAL_MAX_UNIQUE = 5
NUMERIC_THRESHOLD = 0.1
CATEGORICAL_THRESHOLD = 0.1
ALPHA = 0.05
SCORE_MAX = 1e100


@dataclass(frozen=True)
class FeatureDrift:
    name: str
    kind: str
    method: str
    score: float
    p_value: float
    drifted: bool


def kind_of(column: np.ndarray) -> str:
    return "categorical" if np.unique(column).size <= CATEGORICAL_MAX_UNIQUE else "numeric"


def category_counts(column: np.ndarray, categories: np.ndarray) -> np.ndarray:
    """Counts per category, plus one bucket for values not among them."""
    index = np.searchsorted(categories, column)
    index = np.clip(index, 0, categories.size - 1)
    known = categories[index] == column
    counts = np.bincount(index[known], minlength=categories.size)
    return np.append(counts, np.count_nonzero(~known))


def wasserstein(u: np.ndarray, v: np.ndarray) -> float:
    """Wasserstein-1 distance of two samples: the area between their empirical CDFs
    (what scipy.stats.wasserstein_distance computes for 1-D samples, without its
    generic N-D overhead; tests/test_drift_stats.py checks they agree)."""
    u, v = np.sort(u), np.sort(v)
    values = np.concatenate([u, v])
    values.sort(kind="mergesort")
    deltas = np.diff(values)
    u_cdf = np.searchsorted(u, values[:-1], side="right") / u.size
    v_cdf = np.searchsorted(v, values[:-1], side="right") / v.size
    return float(np.sum(np.abs(u_cdf - v_cdf) * deltas))


def numeric(ref: np.ndarray, cur: np.ndarray) -> tuple[float, float]:
    std = float(np.std(ref))
    score = wasserstein(ref, cur) / (std if std > 0 else 1.0)
    return float(score), float(stats.ks_2samp(ref, cur).pvalue)


def categorical(ref: np.ndarray, cur: np.ndarray, categories: np.ndarray) -> tuple[float, float]:
    r, c = category_counts(ref, categories), category_counts(cur, categories)
    score = float(jensenshannon(r / r.sum(), c / c.sum(), base=2))
    table = np.vstack([r, c])
    table = table[:, table.sum(axis=0) > 0]
    p = 1.0 if table.shape[1] < 2 else float(stats.chi2_contingency(table).pvalue)
    return score, p


def drift(
    names: list[str], kinds: list[str], reference: np.ndarray, current: np.ndarray
) -> list[FeatureDrift]:
    """Drift of every column of `current` against `reference` (same column order)."""
    alpha = ALPHA / max(len(names), 1)
    out = []
    for j, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        ref, cur = reference[:, j], current[:, j]
        if kind == "categorical":
            score, p = categorical(ref, cur, np.unique(ref))
            method, threshold = "jensenshannon", CATEGORICAL_THRESHOLD
        else:
            score, p = numeric(ref, cur)
            method, threshold = "wasserstein_norm", NUMERIC_THRESHOLD
        # finite and within CloudWatch's value range (±2^360), whatever the data
        score = float(np.clip(np.nan_to_num(score, nan=0.0), 0.0, SCORE_MAX))
        p = 1.0 if not np.isfinite(p) else p
        drifted = bool(score > threshold and p < alpha)
        out.append(FeatureDrift(name, kind, method, score, p, drifted))
    return out
