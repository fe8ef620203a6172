"""Images that are not catalog algorithms but that stacks use."""

from infra.catalog.model import ImageSpec, RegistryGroup

# Model Monitor's analyzer (Spark + Deequ); no tag (facts §1, §12).
MODEL_MONITOR_ANALYZER = ImageSpec(
    sdk_framework="model-monitor",
    sdk_version="",
    repository="sagemaker-model-monitor-analyzer",
    tag=None,
    registry_group=RegistryGroup.MODEL_MONITOR,
)
