"""Checks common to both families: whether and how the server answered."""

from __future__ import annotations

from pytest_bdd import parsers, then

from forge.packets import v4, v6
from forge.scenario import CheckFailed, describe_response, describe_sent
from forge.steps import checks4, checks6


def expected_type(version: int, name: str) -> int:
    return v4.message_type(name) if version == 4 else v6.message_type(name)


@then(parsers.parse("the server responds with {name}"))
def responds_with(scenario, name):
    exchange = scenario.last_exchange
    want = expected_type(exchange.version, name)
    resp = scenario.response()
    if resp.msg_type != want:
        raise CheckFailed(f"expected {name.upper()} in answer to {describe_sent(exchange)}, received "
                          f"{resp.type_name}:\n{describe_response(resp)}")
    scenario.log(f"received:\n{describe_response(resp)}")


@then("the server does not respond")
def no_response(scenario):
    exchange = scenario.last_exchange
    found = scenario.responses(exchange, expect_none=True)
    if found:
        raise CheckFailed(f"expected no answer to {describe_sent(exchange)}, received:\n"
                          + "\n".join(describe_response(r) for r in found))


@then("the server is still running")
def still_running(scenario):
    if not scenario.adapter.running():
        raise CheckFailed(f"the server is not running; its log ends:\n{scenario.adapter.log()[-3000:]}")


def _family(scenario):
    return checks4 if scenario.last_exchange.version == 4 else checks6


@then(parsers.parse("the response includes option {ref}"))
def includes_option(scenario, ref):
    _family(scenario).includes_option(scenario, ref)


@then(parsers.parse("the response does not include option {ref}"))
def excludes_option(scenario, ref):
    _family(scenario).excludes_option(scenario, ref)


# The option name is one word, so that "the response option X sub-option N is ..." reaches its own step.
@then(parsers.re(r"the response option (?P<ref>\S+) is (?P<value>.+)$"))
def option_is(scenario, ref, value):
    _family(scenario).option_is(scenario, ref, value)
