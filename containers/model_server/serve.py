"""`serve`: what SageMaker runs in the container.

uvicorn workers on BIND_HOST (default 0.0.0.0, every interface, as SageMaker needs)
and SAGEMAKER_BIND_TO_PORT (default 8080).
"""

from __future__ import annotations

import uvicorn

from model_server.settings import ServerSettings


def main() -> None:
    settings = ServerSettings.from_environment()
    uvicorn.run(
        "model_server.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        access_log=False,
        timeout_keep_alive=75,  # longer than SageMaker's 60 s idle connections
        log_level="info",
    )


if __name__ == "__main__":
    main()
