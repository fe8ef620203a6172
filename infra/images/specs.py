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

# SageMaker framework images an inference pipeline's preprocessors run, by (framework,
# version) as the config names them. The SageMaker SDK's image table is the source
# (`image_uris.retrieve("sklearn", region, version="1.2-1", py_version="py3")` gives
# `sagemaker-scikit-learn:1.2-1-cpu-py3`, CPU only); `make tables` checks the repository
# and tag and records the regions, which are XGBoost's framework registries.
PIPELINE_FRAMEWORKS: dict[tuple[str, str], ImageSpec] = {
    ("sklearn", "1.2-1"): ImageSpec(
        sdk_framework="sklearn",
        sdk_version="1.2-1",
        repository="sagemaker-scikit-learn",
        tag="1.2-1-cpu-py3",
        registry_group=RegistryGroup.XGBOOST,
        sdk_py_version="py3",
    ),
}
