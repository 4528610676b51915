"""pytest-bdd step definitions, in a vocabulary close to classic ISC Forge.

Load them all with `pytest_plugins = forge.steps.PLUGINS` in a conftest.
"""

PLUGINS = [
    "forge.plugin",
    "forge.steps.server",
    "forge.steps.client",
    "forge.steps.client4",
    "forge.steps.client6",
    "forge.steps.checks4",
    "forge.steps.checks6",
    "forge.steps.checks",
    "forge.steps.leases",
    "forge.steps.dns",
    "forge.steps.fqdn",
]
