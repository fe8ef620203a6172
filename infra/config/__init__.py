"""Stage configuration: the pydantic schema and the YAML loader.

The schema says what the user wrote, nothing more, one module per capability
(training, tuning, hosting, monitoring, streaming, data_plane, pipeline), composed
into a stage and a whole file in `stages`. Structure, types and plain bounds are
checked here; everything that needs the catalog (does this algorithm take that
content type, that instance type, …) is checked by `infra.plan`. `None` means "not
set": the plan fills in the catalog default and decides whether the capability applies.
"""

from infra.config.load import load_config, parse_config
from infra.config.stages import AppConfig, StageConfig

__all__ = ["AppConfig", "StageConfig", "load_config", "parse_config"]
