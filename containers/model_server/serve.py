"""`serve`: what SageMaker runs in the container.

uvicorn workers on BIND_HOST (default 0.0.0.0, every interface, as SageMaker needs)
and SAGEMAKER_BIND_TO_PORT (default 8080).
"""

from __future__ import annotations

import uvicorn

from model_server.settings import ServerSettings

APP = "model_server.app:create_app"


def run(app: str, settings: ServerSettings) -> None:
    """uvicorn as the server runs it (the benchmark's HTTP floor runs its app the same way)."""
    uvicorn.run(
        app,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # uvloop and httptools, named so a missing one fails instead of falling back.
        loop="uvloop",
        http="httptools",
        access_log=False,
        timeout_keep_alive=75,  # longer than SageMaker's 60 s idle connections
        log_level="info",
    )


def main() -> None:
    run(APP, ServerSettings.from_environment())


if __name__ == "__main__":
    main()
