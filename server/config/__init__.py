"""Kea JSON configuration: loading (comments, includes) and validation into lessor's own model."""

from server.config.errors import ConfigError

__all__ = ["ConfigError"]
