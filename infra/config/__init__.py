"""Stage configuration: the pydantic schema and the YAML loader."""

from infra.config.load import load_config, parse_config
from infra.config.model import AppConfig, StageConfig

__all__ = ["AppConfig", "StageConfig", "load_config", "parse_config"]
