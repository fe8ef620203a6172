"""The names of the function's environment variables, written once.

infra/constructs/drift.py sets them; `publish` reads them. Names only: the
infrastructure code imports this module without the Lambda's dependencies.
"""

METRICS_NAMESPACE = "METRICS_NAMESPACE"
