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

# Tuning budget (DG:automatic-model-tuning-limits; the API's ResourceLimits has no
# maximum, botocore MaxNumberOfTrainingJobs/MaxParallelTrainingJobs: min 1 only):
# at most 750 training jobs per tuning job for Bayesian, Hyperband and Grid (not
# raisable); Random search starts at 750 and can be raised to 10,000.
TUNING_MAX_JOBS = 750
TUNING_MAX_JOBS_RANDOM = 10000
# Parallel training jobs per tuning job: 10 by default, raisable to 100; `preflight`
# compares a config above the default with the account's quota.
TUNING_MAX_PARALLEL_JOBS = 100
TUNING_DEFAULT_PARALLEL_JOBS = 10
TUNING_PARALLEL_JOBS_QUOTA = "parallel training jobs per hyperparameter tuning job"
TUNING_RANDOM_JOBS_QUOTA = "training jobs per hyperparameter tuning job"
# At most 30 hyperparameters searched per tuning job, each categorical one with at most
# 30 values (DG:automatic-model-tuning-limits; botocore ParameterRanges lists and
# CategoricalParameterRange.Values: max 30), and 20 metric definitions per tuning job
# (the same page; the API's MetricDefinitionList allows 40).
TUNING_MAX_RANGES = 30
TUNING_MAX_CATEGORICAL_VALUES = 30
TUNING_MAX_METRIC_DEFINITIONS = 20
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


# --- Counts and sizes in the config schema (issue 20: every count has AWS's limit as its
# upper bound). "API" is the botocore service model in the venv (`max` on the shape);
# where the API has none, the bound is a quota, said so, and `preflight` reads the
# account's value where AWS publishes it.

# Smithy `integer` shapes are 32-bit: the largest value any AWS API integer takes where
# the shape itself gives no maximum (S3 lifecycle Days/NoncurrentDays, StoppingCondition
# MaxWaitTimeInSeconds).
API_INTEGER_MAX = 2**31 - 1

# Instances per training job and per endpoint variant: the API has no maximum
# (botocore ResourceConfig.InstanceCount: min 0; ProductionVariant.InitialInstanceCount
# and Application Auto Scaling MaxCapacity: min 1 only). The binding limits are the
# account's per-type quotas ("<type> for training job usage", "… for endpoint usage"),
# which vary by type and start at 0 for many on new accounts (facts §16); `preflight`
# checks them against instance_count x parallel jobs and 2 x max_instances. 100 is the
# project's bound, not AWS's: above it the plan's assumptions (one table row per
# instance in the summary, blue/green doubling) are untested.
TRAINING_MAX_INSTANCES = 100
ENDPOINT_MAX_INSTANCES = 100
# A training volume is one EBS volume: at most 16 TiB (EC2 user guide, "Amazon EBS
# volume limits"; botocore OptionalVolumeSizeInGB: min 0 only).
TRAINING_MAX_VOLUME_GB = 16384
# ProductionVariants: at most 10 per endpoint config (API: ProductionVariantList max 10),
# the main variant included.
ENDPOINT_MAX_VARIANTS = 10

# Blue/green deployment (API: TrafficRoutingConfig, BlueGreenUpdatePolicy; facts §14).
DEPLOYMENT_MAX_WAIT_SECONDS = 3600  # WaitIntervalInSeconds, TerminationWaitInSeconds
DEPLOYMENT_MIN_EXECUTION_SECONDS = 600  # MaximumExecutionTimeoutInSeconds
DEPLOYMENT_MAX_EXECUTION_SECONDS = 28800
DEPLOYMENT_MAX_CANARY_PERCENT = 50  # CapacitySize: a canary is at most half the fleet
DEPLOYMENT_LINEAR_STEP_PERCENT = (10, 50)  # LinearStepSize: 10-50 % of the fleet
# A real-time container answers within 60 s or the invocation fails
# (DG:your-algorithms-inference-code): a latency alarm above it can never fire.
ROLLBACK_MAX_MODEL_LATENCY_MS = 60_000
# 5XX errors per alarm period: CloudWatch thresholds are doubles without a maximum and
# no quota applies, so this is the project's bound: the rollback alarm sums one
# 5-minute period, and at 10,000 errors in it the update is long past rolling back.
ROLLBACK_MAX_5XX_ERRORS = 10_000
# Application Auto Scaling cooldowns: the API has no maximum (botocore Cooldown: integer);
# the project caps them at an hour, the longest blue/green wait above.
SCALING_MAX_COOLDOWN_SECONDS = 3600
# Target tracking's TargetValue is a double "in the range of -2^360 to 2^360" (botocore
# application-autoscaling, TargetTrackingScalingPolicyConfiguration.TargetValue); the
# endpoint's target is invocations per instance per minute, so a requests-per-second
# figure stops at that over 60.
SCALING_MAX_TARGET_VALUE = 2**360
SCALING_MAX_RPS_PER_INSTANCE = SCALING_MAX_TARGET_VALUE / 60

# API Gateway: the account's default throttle across all REST APIs in a region is 10,000
# requests per second with a burst of 5,000 (API Gateway quotas, "Throttle quota per
# account, per Region"); a stage cannot exceed it, and `preflight` reads the account's
# own values (apigateway get-account).
API_MAX_RATE_PER_SECOND = 10_000
API_MAX_BURST = 5_000

# Kinesis Data Streams: shards per region are a quota with a default of 500 in us-east-1,
# us-west-2 and eu-west-1 and 200 elsewhere (Kinesis developer guide, "Quotas and
# limits"; botocore CreateStream ShardCount: min 1 only); `preflight` reads the account's
# limit (kinesis describe-limits). Retention: 24 to 8,760 hours (the same page).
KINESIS_MAX_SHARDS = 500
KINESIS_MIN_RETENTION_HOURS = 24
KINESIS_MAX_RETENTION_HOURS = 8760

# Lambda (Lambda quotas; the event source mapping shapes in botocore's lambda model).
LAMBDA_MIN_MEMORY_MB = 128
LAMBDA_MAX_MEMORY_MB = 10240  # "Function memory allocation: 128 MB to 10,240 MB"
LAMBDA_MAX_TIMEOUT_SECONDS = 900  # "Function timeout: 900 seconds"
KINESIS_MAX_BATCH_SIZE = 10_000  # BatchSize: max 10000
MAX_BATCHING_WINDOW_SECONDS = 300  # MaximumBatchingWindowInSeconds: max 300
MAX_PARALLELIZATION_FACTOR = 10  # ParallelizationFactor: max 10
# MaximumRetryAttempts takes up to 10,000; the project stops at 100 (one poison record
# would otherwise hold its shard for days).
MAX_RETRY_ATTEMPTS = 100
MAX_RECORD_AGE_SECONDS = 604_800  # MaximumRecordAgeInSeconds: 60 to 604800
MIN_RECORD_AGE_SECONDS = 60

# FSx for Lustre: 1,200 GiB up to the account's storage quota, 100,800 GiB by default
# (FSx for Lustre user guide, "Quotas"; SageMaker's own FSxLustreConfig.SizeInGiB stops
# at the same 100,800). CreateFileSystem's StorageCapacity allows 2^31-1.
FSX_MAX_STORAGE_GIB = 100_800

# Model Monitor capture: InitialSamplingPercentage 0-100 (API: SamplingPercentage).
MAX_SAMPLING_PERCENT = 100
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
