"""Facts about this project's drift checks (the `drift-checks` monitoring engine).

The drift job (`containers/drift/`, package `drift_checks`) writes `metrics.json` with
these metric names; the `publish` step of the drift pipeline puts them into one
CloudWatch namespace with the Endpoint and Algorithm dimensions. The job keeps the same
names in `drift_checks/metrics.py` (contract: /work/notes/drift-contract.md); a test
asserts they agree once both sides are merged.
"""

from __future__ import annotations

# One namespace for every drift metric of the project. CloudWatch reserves namespaces
# that begin with "AWS/" (PutMetricData API reference); the publish Lambda's role may
# put metric data into this one only (condition key `cloudwatch:namespace`).
NAMESPACE = "SageMakerBuiltins/Drift"

ROWS_ANALYSED = "RowsAnalysed"  # Count
ROWS_REJECTED = "RowsRejected"  # Count
DRIFTED_FEATURE_SHARE = "DriftedFeatureShare"  # None, 0-1
DATASET_DRIFT = "DatasetDrift"  # None, 0/1
FEATURE_DRIFT_SCORE = "FeatureDriftScore"  # None, dimension Feature=<name>
# Model-quality metrics keep Model Monitor's names (infra/catalog/model_monitor.py
# MODEL_QUALITY_METRICS); the job emits them only when ground truth matched a row.
JOB_METRICS = (
    ROWS_ANALYSED,
    ROWS_REJECTED,
    DRIFTED_FEATURE_SHARE,
    DATASET_DRIFT,
    FEATURE_DRIFT_SCORE,
)

# Dimensions the publish step adds to every datum (the job adds only job-level ones,
# such as Feature).
ENDPOINT_DIMENSION = "Endpoint"
ALGORITHM_DIMENSION = "Algorithm"

# The job's command line (contract: `python -m drift_checks <command>`).
PROFILE_COMMAND = "profile"
CHECK_COMMAND = "check"

# Defaults of the alarm settings (monitoring.drift_share, monitoring.no_data_runs):
# this project's choices, not AWS facts. Evidently's own dataset-drift preset counts a
# dataset as drifted when at least half of its columns drift; we alarm earlier.
DEFAULT_DRIFT_SHARE = 0.3
DEFAULT_NO_DATA_RUNS = 3

# CloudWatch: "Period multiplied by EvaluationPeriods can't be more than 604,800
# seconds" (PutMetricAlarm API reference, Period; botocore's cloudwatch service-2.json).
MAX_ALARM_EVALUATION_SECONDS = 7 * 24 * 3600
SCHEDULE_PERIOD_SECONDS = {"hourly": 3600, "daily": 24 * 3600}

# The drift job runs on one CPU instance, within the hour even on hourly schedules.
DRIFT_JOB_INSTANCE_COUNT = 1
DRIFT_JOB_VOLUME_GB = 30
DRIFT_JOB_MAX_RUNTIME_SECONDS = 3600
