"""Configuration errors carry the JSON path of what is wrong."""


class ConfigError(ValueError):
    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class NotSupportedYet(ConfigError):
    """A key Kea accepts that lessor does not implement yet: never silently ignored."""

    def __init__(self, path: str):
        super().__init__(path, f"not supported yet: {path.rsplit('/', 1)[-1]}")
