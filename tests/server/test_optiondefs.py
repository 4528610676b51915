"""The standard DHCPv4 option table and the OptionDefs registry."""

import pytest

from server.wire.optiondefs import (
    AGENT_SPACE,
    STANDARD_V4_DEFS,
    VENDOR_ENCAP_SPACE,
    OptionDef,
    OptionDefError,
    OptionDefs,
    validate_def,
)


@pytest.mark.parametrize(("name", "code", "type_", "array"), [
    ("subnet-mask", 1, "ipv4-address", False),
    ("time-offset", 2, "int32", False),
    ("routers", 3, "ipv4-address", True),
    ("domain-name-servers", 6, "ipv4-address", True),
    ("host-name", 12, "string", False),
    ("domain-name", 15, "string", False),
    ("ntp-servers", 42, "ipv4-address", True),
    ("vendor-encapsulated-options", 43, "empty", False),
    ("netbios-name-servers", 44, "ipv4-address", True),
    ("dhcp-requested-address", 50, "ipv4-address", False),
    ("dhcp-lease-time", 51, "uint32", False),
    ("dhcp-message-type", 53, "uint8", False),
    ("dhcp-server-identifier", 54, "ipv4-address", False),
    ("dhcp-parameter-request-list", 55, "uint8", True),
    ("dhcp-renewal-time", 58, "uint32", False),
    ("dhcp-rebinding-time", 59, "uint32", False),
    ("vendor-class-identifier", 60, "string", False),
    ("dhcp-client-identifier", 61, "binary", False),
    ("tftp-server-name", 66, "string", False),
    ("boot-file-name", 67, "string", False),
    ("fqdn", 81, "record", False),
    ("dhcp-agent-options", 82, "empty", False),
    ("v4-captive-portal", 114, "string", False),
    ("subnet-selection", 118, "ipv4-address", False),
    ("domain-search", 119, "fqdn", True),
    ("v4-sztp-redirect", 143, "tuple", True),
    ("v4-access-domain", 213, "fqdn", False),
])
def test_standard_rows(name, code, type_, array):
    defs = OptionDefs.standard_v4()
    d = defs.by_name("dhcp4", name)
    assert d is not None and (d.code, d.type, d.array) == (code, type_, array)
    assert defs.by_code("dhcp4", code) is d


def test_table_is_consistent():
    codes = [d.code for d in STANDARD_V4_DEFS]
    names = [d.name for d in STANDARD_V4_DEFS]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert codes == sorted(codes)
    for d in STANDARD_V4_DEFS:
        validate_def(d)
        assert d.space == "dhcp4"
        assert d.name == d.name.lower() and " " not in d.name


def test_encapsulated_spaces():
    defs = OptionDefs.standard_v4()
    assert defs.by_name("dhcp4", "dhcp-agent-options").encapsulate == AGENT_SPACE
    assert defs.by_code("dhcp4", 43).encapsulate == VENDOR_ENCAP_SPACE
    assert defs.by_name(AGENT_SPACE, "circuit-id") == OptionDef("circuit-id", 1, "binary", space=AGENT_SPACE)
    assert defs.by_code(AGENT_SPACE, 2).name == "remote-id"
    assert defs.by_code(AGENT_SPACE, 5).type == "ipv4-address"
    assert defs.space(VENDOR_ENCAP_SPACE) == ()
    assert defs.by_code("dhcp4", 200) is None and defs.by_name("nope", "routers") is None


def test_with_defs_adds_and_is_immutable():
    base = OptionDefs.standard_v4()
    mine = OptionDef("my-opt", 222, "uint16", space="dhcp4")
    sub = OptionDef("tftp", 1, "ipv4-address", array=True, space=VENDOR_ENCAP_SPACE)
    new = base.with_defs([mine, sub])
    assert new.by_code("dhcp4", 222) is mine and new.by_name(VENDOR_ENCAP_SPACE, "tftp") is sub
    assert base.by_code("dhcp4", 222) is None
    assert len(new) == len(base) + 2


def test_option_43_may_be_redefined():
    new = OptionDefs.standard_v4().with_defs([OptionDef("vendor-encapsulated-options", 43, "binary")])
    assert new.by_code("dhcp4", 43).type == "binary"


@pytest.mark.parametrize(("defn", "message"), [
    (OptionDef("my-routers", 3, "uint8"), "clashes with the existing definition 'dhcp4.routers'"),
    (OptionDef("routers", 200, "uint8"), "same name"),
    (OptionDef("circuit-id", 1, "string", space=AGENT_SPACE), "clashes"),
    (OptionDef("x", 0, "uint8"), "reserved"),
    (OptionDef("x", 255, "uint8"), "reserved"),
    (OptionDef("x", 300, "uint8"), "out of range"),
    (OptionDef("x", 200, "uint128"), "unknown option type"),
    (OptionDef("x", 200, "string", array=True), "array"),
    (OptionDef("x", 200, "record", record_types=("uint8",)), "at least 2"),
    (OptionDef("x", 200, "record", record_types=("string", "uint8")), "last field"),
    (OptionDef("x", 200, "record", record_types=("uint8", "record")), "invalid record field type"),
    (OptionDef("x", 200, "uint8", record_types=("uint8", "uint8")), "not 'record'"),
    (OptionDef("bad name", 200, "uint8"), "invalid option name"),
])
def test_with_defs_errors(defn, message):
    with pytest.raises(OptionDefError, match=message):
        OptionDefs.standard_v4().with_defs([defn])


def test_clash_between_user_defs():
    with pytest.raises(OptionDefError, match="same code"):
        OptionDefs.standard_v4().with_defs([OptionDef("a", 222, "uint8"), OptionDef("b", 222, "uint8")])
