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
)
from infra.catalog.tuning import TuningSpec

RAY_VERSION = "1.6.0"  # RAY_LATEST_VERSION in the SDK (facts §1c)


def _ray_image(framework: str, tag_name: str, python: str) -> ImageSpec:
    return ImageSpec(
        sdk_framework=f"ray-{framework}",
        sdk_version=RAY_VERSION,
        sdk_py_version=python,
        repository="sagemaker-rl-ray-container",
        tag=f"ray-{RAY_VERSION}-{tag_name}-cpu-{python}",
        gpu_tag=f"ray-{RAY_VERSION}-{tag_name}-gpu-{python}",
        registry_group=RegistryGroup.RL_RAY,
    )


PYTORCH = _ray_image("pytorch", "torch", "py36")
TENSORFLOW = _ray_image("tensorflow", "tf", "py37")

ALGORITHM = Algorithm(
    name="reinforcement-learning",
    title="Reinforcement learning (Ray RLlib)",
    image=PYTORCH,
    frameworks=(("pytorch", PYTORCH), ("tensorflow", TENSORFLOW)),
    training=TrainingSpec(
        formats=(),  # the environment is simulated by the entry point; data optional
        channels=(ChannelSpec("train", content_type=""),),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.c5.2xlarge",
        # No list: the entry point defines its own hyperparameters (the RL estimator
        # passes them to it as they are; SDKv2 rl/estimator.py), so none is refused.
        hyperparameter_names=None,
        # "The following managed SageMaker containers do not support network isolation
        # because they require access to Amazon S3: Chainer, SageMaker Reinforcement
        # Learning" (DG:mkt-algo-model-internet-free; facts §15). It still runs in the
        # stage's private subnets, reaching S3 through the gateway endpoint only.
        network_isolation=NotSupported(
            "the SageMaker RL containers need S3 access from inside the container"
        ),
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
