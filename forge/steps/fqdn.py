"""Client FQDN steps: DHCPv4 option 81 (RFC 4702) and DHCPv6 option 39 (RFC 4704), and host name
reservations. The family is the configured server's, as for the other client steps."""

from __future__ import annotations

from pytest_bdd import parsers, step, then

from forge.packets import fqdn, v4, v6
from forge.packets.options import lookup
from forge.scenario import CheckFailed, describe_response, resolve


def _version(scenario) -> int:
    return scenario.require_model().version


def _name(scenario, text: str) -> str:
    return resolve(scenario, text.strip().strip('"'))


# -- client -------------------------------------------------------------------
@step(parsers.parse("the client adds option fqdn with flags {flags} and name {name}"))
def add_fqdn(scenario, flags, name):
    """DHCPv4: option 81 in the canonical wire encoding (E is set for you). DHCPv6: option 39.
    A name ending in "." is fully qualified; without it, partial (no root label on the wire).
    Like a real client, the client sends it in every following message (a DORA or SARR included)."""
    version = _version(scenario)
    letters = fqdn.parse_flags(flags, version)
    if version == 4:
        scenario.client4.sticky[81] = fqdn.option81(letters | {"E"}, _name(scenario, name))
    else:
        scenario.client6.sticky[39] = v6.tlv(39, fqdn.option39(letters, _name(scenario, name)))


@step(parsers.parse("the client adds option fqdn in ASCII with flags {flags} and name {name}"))
def add_fqdn_ascii(scenario, flags, name):
    """DHCPv4 only: option 81 with E clear and the name in the deprecated ASCII encoding (RFC 4702 2.3.1)."""
    if _version(scenario) != 4:
        raise ValueError("the ASCII encoding of the client FQDN exists only in DHCPv4 (RFC 4702)")
    letters = fqdn.parse_flags(flags, 4)
    if "E" in letters:
        raise ValueError("the ASCII encoding means E is clear: drop E from the flags")
    scenario.client4.sticky[81] = fqdn.option81(letters, _name(scenario, name))


@step(parsers.parse("the client uses hostname {name}"))
def use_hostname(scenario, name):
    """DHCPv4 Host Name option (12, RFC 2132 3.14), sent in every following message."""
    if _version(scenario) != 4:
        raise ValueError("the Host Name option exists only in DHCPv4; use the client FQDN in DHCPv6")
    scenario.client4.sticky[12] = _name(scenario, name).encode()


@step(parsers.re(r"the client stops sending option (?P<which>fqdn|hostname)$"))
def stop_sending(scenario, which):
    if _version(scenario) == 4:
        scenario.client4.sticky.pop(81 if which == "fqdn" else 12, None)
    else:
        scenario.client6.sticky.pop(39, None)


@step(parsers.parse("the reservation has hostname {name}"))
def reservation_hostname(scenario, name):
    """The host name of the current subnet's newest reservation (Kea's reservation `hostname`)."""
    subnet = scenario.require_model().current_subnet
    if not subnet.reservations:
        raise ValueError("add a reservation first: the subnet reserves address ... for ...")
    subnet.reservations[-1].hostname = name.strip().strip('"')


# -- checks -------------------------------------------------------------------
def _response_fqdn(scenario):
    resp = scenario.response()
    if isinstance(resp, v4.Response4):
        version, data = 4, resp.option(81)
    else:
        version = 6
        found = resp.option(39)
        data = found.data if found is not None else None
    if data is None:
        raise CheckFailed(f"expected the client FQDN option (option {81 if version == 4 else 39}) in the "
                          f"{resp.type_name}, it is absent\nreceived:\n{describe_response(resp)}")
    try:
        got = fqdn.parse(version, data)
    except fqdn.FqdnError as exc:
        raise CheckFailed(f"the {resp.type_name}'s client FQDN option is malformed: {exc}\nreceived:\n"
                          f"{describe_response(resp)}") from None
    scenario.log(f"{resp.type_name} client FQDN: {got.describe()}")
    return resp, got


def _fail(resp, text: str):
    raise CheckFailed(f"{text}\nreceived:\n{describe_response(resp)}")


@then(parsers.parse("the response option fqdn has flags {flags}"))
def fqdn_flags(scenario, flags):
    """The exact set of S, O and N (and E, in DHCPv4, when the expected flags name it; the encoding has
    its own step). RCODE1/RCODE2 are not looked at here."""
    resp, got = _response_fqdn(scenario)
    want = fqdn.parse_flags(flags, got.version)
    seen = got.flags if "E" in want else got.flags - {"E"}
    if seen != want:
        _fail(resp, f"expected client FQDN flags {fqdn.format_flags(want)}, got {fqdn.format_flags(seen)} "
                    f"({got.describe()})")


@then(parsers.parse("the response option fqdn has name {name}"))
def fqdn_name(scenario, name):
    """DNS names compare case-insensitively; a trailing "." means fully qualified and must match."""
    resp, got = _response_fqdn(scenario)
    want = _name(scenario, name)
    if not fqdn.same_name(got.name, want):
        _fail(resp, f"expected client FQDN name {want!r}, got {got.name!r} ({got.describe()})")


@then(parsers.re(r"the response option fqdn uses the (?P<encoding>ASCII|canonical wire) encoding$"))
def fqdn_encoding(scenario, encoding):
    """DHCPv4: the server answers in the encoding the client used (RFC 4702 2.3.1); E tells which."""
    resp, got = _response_fqdn(scenario)
    if got.version != 4:
        raise ValueError("only the DHCPv4 client FQDN has a choice of encodings")
    if got.ascii != (encoding == "ASCII"):
        _fail(resp, f"expected the {encoding} encoding (E {'clear' if encoding == 'ASCII' else 'set'}), "
                    f"got {got.describe()}")


@then(parsers.parse("the response option fqdn has RCODE1 and RCODE2 {value:d}"))
def fqdn_rcodes(scenario, value):
    resp, got = _response_fqdn(scenario)
    if got.version != 4:
        raise ValueError("only the DHCPv4 client FQDN has RCODE fields")
    if (got.rcode1, got.rcode2) != (value, value):
        _fail(resp, f"expected RCODE1 = RCODE2 = {value}, got {got.rcode1} and {got.rcode2}")


@step("the server sends no DNS updates")
def server_ddns_disabled(scenario):
    """dhcp-ddns enable-updates false: the server sends no NameChangeRequests at all."""
    model = scenario.require_model()
    model.dhcp_ddns = {**(model.dhcp_ddns or {}), "enable-updates": False}


@step(parsers.parse("the client does not request option {ref}"))
def unrequest_option(scenario, ref):
    """Take an option out of the Parameter Request List (DHCPv4) or Option Request option (DHCPv6)."""
    version = _version(scenario)
    code = lookup(version, ref).code
    target = scenario.client4.prl if version == 4 else scenario.client6.oro
    if code in target:
        target.remove(code)
