"""Logging for rule scripts: everything, including a failure's traceback, goes to the rule log."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def script_logging(log_path: str) -> Iterator[logging.Logger]:
    """Send log records to ``log_path``; log any exception before re-raising it."""
    logging.basicConfig(
        filename=log_path,
        filemode="w",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    logging.captureWarnings(True)
    logger = logging.getLogger("lucarbon")
    try:
        yield logger
    except Exception:
        logger.exception("rule script failed")
        raise
