"""SageMaker service limits that are not about one algorithm (facts §7, §9, §11).

The config schema, the plan and the guardrail rules all read these, so a limit
is written down once.
"""

from __future__ import annotations

# Serverless inference (facts §11).
SERVERLESS_MEMORY_SIZES_MB = (1024, 2048, 3072, 4096, 5120, 6144)
SERVERLESS_MAX_CONCURRENCY = 200

# Built-ins that cannot checkpoint may wait at most this long for spot capacity (facts §9).
SPOT_WAIT_WITHOUT_CHECKPOINTS = 3600

# Tuning strategies that take TrainingJobEarlyStoppingType=Auto: a grid search runs
# every combination, and Hyperband stops trials by its own schedule (facts §7).
EARLY_STOPPING_STRATEGIES = ("Bayesian", "Random")
