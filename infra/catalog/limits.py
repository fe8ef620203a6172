"""SageMaker service limits that are not about one algorithm (facts §6, §7, §9, §10, §11).

The config schema, the plan and the guardrail rules all read these, so a limit
is written down once.
"""

from __future__ import annotations

# Serverless inference (facts §11).
SERVERLESS_MEMORY_SIZES_MB = (1024, 2048, 3072, 4096, 5120, 6144)
SERVERLESS_MAX_CONCURRENCY = 200

# Built-ins that cannot checkpoint may wait at most this long for spot capacity (facts §9).
SPOT_WAIT_WITHOUT_CHECKPOINTS = 3600

# Training jobs stop after at most 28 days (facts §10: StoppingCondition.MaxRuntimeInSeconds).
MAX_RUNTIME_SECONDS = 28 * 24 * 3600

# Tuning budget: at most 750 training jobs per tuning job, and 100 in parallel (facts §6;
# 10 parallel by default, raisable to 100).
TUNING_MAX_JOBS = 750
TUNING_MAX_PARALLEL_JOBS = 100
# A tuning job warm-starts from at most 5 parents (API: HyperParameterTuningJobWarmStartConfig,
# ParentHyperParameterTuningJobs; not in the facts file).
TUNING_MAX_WARM_START_PARENTS = 5
# HyperParameterTuningJobName: 1-32 letters, digits and hyphens (API:
# CreateHyperParameterTuningJob; not in the facts file).
TUNING_JOB_NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$"

# Search strategies, in the order the config schema lists them (API:
# HyperParameterTuningJobConfig.Strategy; facts §7).
TUNING_STRATEGIES = ("Bayesian", "Random", "Grid", "Hyperband")
# Tuning strategies that take TrainingJobEarlyStoppingType=Auto: a grid search runs
# every combination, and Hyperband stops trials by its own schedule (facts §7).
EARLY_STOPPING_STRATEGIES = ("Bayesian", "Random")

# Lambda keeps 100 of an account's concurrency unreserved: "You can reserve up to the
# Unreserved account concurrency value minus 100" (Lambda developer guide, "Configuring
# reserved concurrency"); a new account's limit can be lower than that (its whole limit
# then stays unreserved). The account limit's quota: "Concurrent executions".
LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100
LAMBDA_CONCURRENCY_QUOTA_CODE = "L-B99A9384"

# Regions where SageMaker runs but the public SSM parameters of the Powertools for AWS
# Lambda (Python) layer (/aws/service/powertools/…) are not published: the layer is
# published in 30 regions, not these (the parameter lookup fails the deploy there).
# Source: the project's issue 17 read of the parameter listing (Powertools' docs say
# "all commercial regions" without a list); re-check a region with
# `aws ssm get-parameters-by-path --path /aws/service/powertools/python --region R`.
POWERTOOLS_LAYER_UNPUBLISHED = frozenset({"me-south-1", "me-central-1"})

# Lambda's default concurrency limit for an account (Lambda quotas, "Concurrent
# executions", L-B99A9384): reserving more than it less the unreserved minimum fails.
LAMBDA_DEFAULT_CONCURRENCY = 1000

# Asynchronous inference (DG:async-inference, DG:async-inference-invoke-endpoint,
# DG:async-inference-autoscale; facts §16). Payloads up to 1 GB through S3 (inline Body up
# to 128,000 bytes); processing up to one hour per request: InvokeEndpointAsync's
# InvocationTimeoutSeconds is at most 3600, 900 (15 min) when not given. The endpoint's
# instance count may go to 0 (the only hosted mode that can; real-time variants need 1).
ASYNC_MAX_PAYLOAD_BYTES = 1024**3
ASYNC_MAX_INLINE_BODY_BYTES = 128_000
ASYNC_MAX_INVOCATION_TIMEOUT_SECONDS = 3600
ASYNC_DEFAULT_INVOCATION_TIMEOUT_SECONDS = 900
# AsyncInferenceClientConfig.MaxConcurrentInvocationsPerInstance: 1-1000 (botocore's
# SageMaker model; unset: SageMaker picks).
ASYNC_MAX_CONCURRENT_INVOCATIONS = 1000
# "If your endpoint uses any of the features listed in this Exclusions page, you cannot
# use Asynchronous Inference" (DG:async-inference, linking DG:deployment-guardrails-
# exclusions); of that list (2025+: Marketplace containers, Inf1 instances; facts §14)
# only the instance family could apply to built-ins, whose images are not Marketplace
# containers (and which run on x86 CPUs or NVIDIA GPUs, so never on inf1 anyway): every
# hostable built-in can serve asynchronously. CONFLICT: the 2023 exclusions page also
# listed network isolation, KMS, multi-container and data capture; the async API itself
# takes a KMS key (AsyncInferenceOutputConfig.KmsKeyId), so we read the current list
# (UNCONFIRMED for network isolation and multi-container models until deployed; our
# async endpoints capture no data: their payloads are in S3 anyway).
ASYNC_EXCLUDED_INSTANCE_FAMILIES = ("inf1",)

# Inference pipelines: one model of 2 to 15 containers run in sequence
# (InferenceExecutionConfig Mode Serial; DG:inference-pipelines; botocore's CreateModel
# Containers: max 15); not available on serverless endpoints (DG:serverless-endpoints).
PIPELINE_MIN_CONTAINERS = 2
PIPELINE_MAX_CONTAINERS = 15
