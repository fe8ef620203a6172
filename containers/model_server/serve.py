"""`serve`: what SageMaker runs in the container. uvicorn workers on SAGEMAKER_BIND_TO_PORT."""

from __future__ import annotations

import uvicorn

from model_server.settings import ServerSettings


def main() -> None:
    settings = ServerSettings.from_environment()
    uvicorn.run(
        "model_server.app:create_app",
        factory=True,
        host="0.0.0.0",
        port=settings.port,
        workers=settings.workers,
        access_log=False,
        timeout_keep_alive=75,  # longer than SageMaker's 60 s idle connections
        log_level="info",
    )


if __name__ == "__main__":
    main()
