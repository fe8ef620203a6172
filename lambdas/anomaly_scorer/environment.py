"""The names of the scorer's environment variables, written once.

The construct that deploys the scorer (infra/constructs/streaming.py) sets them and
`Settings.from_environment` reads them. Names only: the infrastructure code imports
this module without the Lambda's dependencies.
"""

ENDPOINT_NAME = "ENDPOINT_NAME"
ENDPOINT_KIND = "ENDPOINT_KIND"  # "realtime" or "serverless": the payload limit
FEATURE_FORMAT = "FEATURE_FORMAT"
FEATURE_FIELDS = "FEATURE_FIELDS"  # comma-separated, JSON records
FEATURE_COLUMNS = "FEATURE_COLUMNS"  # comma-separated, CSV records
THRESHOLD = "THRESHOLD"
ANOMALY_SINK = "ANOMALY_SINK"
ANOMALY_TARGET = "ANOMALY_TARGET"
FAILURE_QUEUE_URL = "FAILURE_QUEUE_URL"
SAFETY_MARGIN_MS = "SAFETY_MARGIN_MS"
