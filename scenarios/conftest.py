"""Binds the features to forge's steps and plugin."""

from forge.steps import PLUGINS

pytest_plugins = PLUGINS
