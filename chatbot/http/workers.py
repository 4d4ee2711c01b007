"""The app factory of each worker when ``chatbot serve`` runs several.

A rolling restart (SIGHUP) starts new workers that load the files again. When a file is broken,
the worker logs the problems, one line each, and exits; uvicorn's supervisor then keeps the worker
it was replacing. ``create_app`` would raise instead, and uvicorn would print the whole traceback
for every worker.
"""

import logging
import sys

from fastapi import FastAPI

from ..engine.knowledge import KnowledgeBaseError
from ..store import StoreError
from .app import create_app

logger = logging.getLogger("chatbot.http")


def create_worker_app() -> FastAPI:
    try:
        return create_app()
    except KnowledgeBaseError as exc:
        for problem in exc.problems or ["the knowledge base could not be loaded"]:
            logger.error("cannot start a worker: %s", problem)
    except (StoreError, ValueError, OSError) as exc:
        logger.error("cannot start a worker: %s", exc)
    sys.exit(3)
