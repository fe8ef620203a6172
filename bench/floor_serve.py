"""Runs a floor app (bench/floor_app.py) the way `serve` runs the model server.

python bench/floor_serve.py create_app|create_starlette_app   (settings from the environment)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_server.serve import run
from model_server.settings import ServerSettings

if __name__ == "__main__":
    run(f"floor_app:{sys.argv[1]}", ServerSettings.from_environment())
