"""Logging for rule scripts: everything, including a failure's traceback, goes to the rule log.

An expected error (``UserError``: bad input, a failed download, a full disk) is not a crash:
its message, which names the user's file (or URL) and what to do, goes to the log and to
stderr without a traceback and the script exits 1.
Warnings a user must see (``warn_user``) go to the log and to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from lucarbon.core.io import UserError


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
    except UserError as err:
        logger.error("%s", err)
        print(f"Error: {err}", file=sys.stderr)
        sys.exit(1)
    except Exception:
        logger.exception("rule script failed")
        raise


def warn_user(logger: logging.Logger, message: str) -> None:
    """A warning for the user, not just the log: written to both the log and stderr."""
    logger.warning(message)
    print(f"Warning: {message}", file=sys.stderr)
