"""Logging set up from Kea's `loggers` section, in a Kea-like line format."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s.%(msecs)03d %(levelname)-5s [%(name)s/%(process)d] %(message)s"
DATEFMT = "%Y-%m-%d %H:%M:%S"
LEVELS = {"FATAL": logging.CRITICAL, "ERROR": logging.ERROR, "WARN": logging.WARNING, "INFO": logging.INFO,
          "DEBUG": logging.DEBUG, "NONE": logging.CRITICAL + 10}


def configure(loggers, debug: bool = False, root_name: str = "lessor") -> None:
    """Replace the handlers of the `lessor` logger. `debug` (-d) forces DEBUG to stdout."""
    logger = logging.getLogger(root_name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = False
    formatter = logging.Formatter(FORMAT, DATEFMT)
    level = logging.INFO
    outputs = []
    if loggers:
        first = loggers[0]
        level = LEVELS.get(first.severity, logging.INFO)
        outputs = [o.output for o in first.outputs] or ["stdout"]
    else:
        outputs = ["stdout"]
    if debug:
        level = logging.DEBUG
    for output in outputs:
        if output == "stdout":
            handler: logging.Handler = logging.StreamHandler(sys.stdout)
        elif output == "stderr":
            handler = logging.StreamHandler(sys.stderr)
        elif output == "syslog" or output.startswith("syslog:"):
            from logging.handlers import SysLogHandler

            handler = SysLogHandler(address="/dev/log")
        else:
            handler = logging.FileHandler(output)
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    logger.setLevel(level)
