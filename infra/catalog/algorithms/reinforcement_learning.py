"""Reinforcement learning: Ray RLlib with PyTorch, a framework image (facts §1c).

There is no built-in RL algorithm: training runs the user's entry point (from
S3) in the SageMaker RL Ray container, and tuning uses metric definitions the
user supplies. Ray models have no SageMaker deployment path.
"""

from infra.catalog.algorithms._common import CPU_AND_GPU
from infra.catalog.model import (
    Algorithm,
    ChannelSpec,
    ImageSpec,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
    TuningSpec,
)

RAY_VERSION = "1.6.0"  # RAY_LATEST_VERSION in the SDK (facts §1c)

ALGORITHM = Algorithm(
    name="reinforcement-learning",
    title="Reinforcement learning (Ray RLlib, PyTorch)",
    image=ImageSpec(
        sdk_framework="ray-pytorch",
        sdk_version=RAY_VERSION,
        sdk_py_version="py36",
        repository="sagemaker-rl-ray-container",
        tag=f"ray-{RAY_VERSION}-torch-cpu-py36",
        gpu_tag=f"ray-{RAY_VERSION}-torch-gpu-py36",
        registry_group=RegistryGroup.RL_RAY,
    ),
    training=TrainingSpec(
        formats=(),  # the environment is simulated by the entry point; data optional
        channels=(ChannelSpec("train", content_type=""),),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.c5.2xlarge",
    ),
    tuning=TuningSpec(
        metrics=(),
        default_objective="",
        ranges=(),
        default_ranges=(),
        user_metric_definitions=True,
    ),
    hosting=NotSupported(
        "Ray RLlib models have no SageMaker deployment path (RLEstimator.create_model raises)"
    ),
    built_in=False,
    sources=("SDKv2:rl/estimator.py", "DG:sagemaker-rl-workflow", "DG:sagemaker-rl-tuning"),
)
