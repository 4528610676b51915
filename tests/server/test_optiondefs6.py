"""The standard DHCPv6 option table (Kea 2.2 names, codes and types) and the v6 option-data text form."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess

import pytest

from server.wire.optiondata import OptionDataError, decode_option_data, encode_option_data
from server.wire.optiondefs import (
    DHCP6_SPACE,
    DOCSIS3_V6_SPACE,
    ISC_V6_SPACE,
    OPTION_TYPES,
    RECORD_FIELD_TYPES,
    STANDARD_V4_DEFS,
    STANDARD_V6_DEFS,
    STANDARD_V6_SPACES,
    V6_SPACES,
    OptionDef,
    OptionDefError,
    OptionDefs,
)

KEA_DHCP6 = shutil.which("kea-dhcp6") or ("/usr/sbin/kea-dhcp6" if os.access("/usr/sbin/kea-dhcp6", os.X_OK) else None)
ALL_V6 = tuple(d for defs in STANDARD_V6_SPACES.values() for d in defs)


def ip6(text: str) -> bytes:
    return ipaddress.IPv6Address(text).packed


@pytest.fixture(scope="module")
def defs() -> OptionDefs:
    return OptionDefs.standard_v6()


# -- the table --------------------------------------------------------------------------------------------

def test_every_space_has_unique_names_and_codes():
    assert STANDARD_V6_SPACES[DHCP6_SPACE] is STANDARD_V6_DEFS and len(STANDARD_V6_DEFS) == 72
    for space, entries in STANDARD_V6_SPACES.items():
        assert len({d.code for d in entries}) == len(entries), space
        assert len({d.name for d in entries}) == len(entries), space
        assert all(d.space == space for d in entries), space


def test_every_definition_is_well_formed():
    for d in ALL_V6:
        assert d.type in OPTION_TYPES, d
        assert 1 <= d.code <= 65535, d
        assert all(t in RECORD_FIELD_TYPES for t in d.record_types), d
        assert (d.type == "record") == bool(d.record_types), d
        assert not d.encapsulate or d.encapsulate in STANDARD_V6_SPACES, d


@pytest.mark.parametrize("name,code,type_,array,record,encapsulate", [
    ("clientid", 1, "binary", False, (), ""),
    ("serverid", 2, "binary", False, (), ""),
    ("ia-na", 3, "record", False, ("uint32", "uint32", "uint32"), "dhcp6"),
    ("ia-ta", 4, "uint32", False, (), "dhcp6"),
    ("iaaddr", 5, "record", False, ("ipv6-address", "uint32", "uint32"), "dhcp6"),
    ("oro", 6, "uint16", True, (), ""),
    ("preference", 7, "uint8", False, (), ""),
    ("elapsed-time", 8, "uint16", False, (), ""),
    ("relay-msg", 9, "binary", False, (), ""),
    ("auth", 11, "binary", False, (), ""),
    ("unicast", 12, "ipv6-address", False, (), ""),
    ("status-code", 13, "record", False, ("uint16", "string"), ""),
    ("rapid-commit", 14, "empty", False, (), ""),
    ("vendor-class", 16, "record", False, ("uint32", "binary"), ""),
    ("vendor-opts", 17, "uint32", False, (), "vendor-opts-space"),
    ("interface-id", 18, "binary", False, (), ""),
    ("reconf-msg", 19, "uint8", False, (), ""),
    ("reconf-accept", 20, "empty", False, (), ""),
    ("sip-server-dns", 21, "fqdn", True, (), ""),
    ("sip-server-addr", 22, "ipv6-address", True, (), ""),
    ("dns-servers", 23, "ipv6-address", True, (), ""),
    ("domain-search", 24, "fqdn", True, (), ""),
    ("ia-pd", 25, "record", False, ("uint32", "uint32", "uint32"), "dhcp6"),
    ("iaprefix", 26, "record", False, ("uint32", "uint32", "uint8", "ipv6-address"), "dhcp6"),
    ("sntp-servers", 31, "ipv6-address", True, (), ""),
    ("information-refresh-time", 32, "uint32", False, (), ""),
    ("client-fqdn", 39, "record", False, ("uint8", "fqdn"), ""),
    ("ero", 43, "uint16", True, (), ""),
    ("bootfile-url", 59, "string", False, (), ""),
    ("bootfile-param", 60, "tuple", True, (), ""),
    ("client-arch-type", 61, "uint16", True, (), ""),
    ("nii", 62, "record", False, ("uint8", "uint8", "uint8"), ""),
    ("aftr-name", 64, "fqdn", False, (), ""),
    ("erp-local-domain-name", 65, "fqdn", False, (), ""),
    ("rsoo", 66, "empty", False, (), "rsoo-opts"),
    ("pd-exclude", 67, "ipv6-prefix", False, (), ""),
    ("rdnss-selection", 74, "record", True, ("ipv6-address", "uint8", "fqdn"), ""),
    ("s46-cont-mape", 94, "empty", False, (), "s46-cont-mape-options"),
    ("v6-captive-portal", 103, "string", False, (), ""),
    ("relay-source-port", 135, "uint16", False, (), ""),
    ("ipv6-address-andsf", 143, "ipv6-address", True, (), ""),
])
def test_standard_dhcp6_definitions(defs, name, code, type_, array, record, encapsulate):
    expected = OptionDef(name, code, type_, array, record, encapsulate, DHCP6_SPACE)
    assert defs.by_name(DHCP6_SPACE, name) == expected
    assert defs.by_code(DHCP6_SPACE, code) == expected


def test_options_kea_22_does_not_define_in_dhcp6(defs):
    # ntp-server (56) arrived after Kea 2.2; the softwire options 89..93 only live in the s46 sub-spaces.
    for code in (10, 35, 56, 89, 90, 91, 92, 93):
        assert defs.by_code(DHCP6_SPACE, code) is None


def test_sub_spaces(defs):
    assert defs.by_name("s46-cont-mape-options", "s46-rule").code == 89
    assert defs.by_name("s46-cont-mape-options", "s46-br").code == 90
    assert defs.by_name("s46-cont-mapt-options", "s46-dmr").type == "ipv6-prefix"
    assert defs.by_name("s46-cont-lw-options", "s46-v4v6bind").encapsulate == "s46-v4v6bind-options"
    assert defs.by_name("s46-rule-options", "s46-portparams").record_types == ("uint8", "psid")
    assert defs.by_code(DOCSIS3_V6_SPACE, 1) == OptionDef("oro", 1, "uint16", True, space=DOCSIS3_V6_SPACE)
    assert defs.by_code(DOCSIS3_V6_SPACE, 32).name == "tftp-servers"
    assert defs.by_code(DOCSIS3_V6_SPACE, 1026).name == "cmts-cm-mac"
    assert defs.by_code(ISC_V6_SPACE, 60000).name == "4o6-interface"
    assert defs.spaces() >= {DHCP6_SPACE, "s46-cont-lw-options", DOCSIS3_V6_SPACE, ISC_V6_SPACE}
    assert V6_SPACES == frozenset(STANDARD_V6_SPACES)


def test_v4_registry_is_unchanged():
    v4 = OptionDefs.standard_v4()
    assert v4.family == 4
    assert v4.by_code("dhcp6", 23) is None
    assert v4.by_code("dhcp4", 3) in STANDARD_V4_DEFS


# -- user option-defs --------------------------------------------------------------------------------------

def test_v6_user_definitions_take_16_bit_codes(defs):
    mine = OptionDef("my-opt", 1234, "uint16", space=DHCP6_SPACE)
    extended = defs.with_defs([mine])
    assert extended.family == 6
    assert extended.by_name(DHCP6_SPACE, "my-opt") == mine
    assert extended.with_defs([OptionDef("last", 65535, "string", space="my-space")]).by_code("my-space", 65535)
    with pytest.raises(OptionDefError, match="out of range 1..65535"):
        defs.with_defs([OptionDef("too-big", 65536, "uint8", space=DHCP6_SPACE)])
    with pytest.raises(OptionDefError, match="out of range 1..65535"):
        defs.with_defs([OptionDef("zero", 0, "uint8", space=DHCP6_SPACE)])
    with pytest.raises(OptionDefError, match="out of range 1..254"):
        OptionDefs.standard_v4().with_defs([OptionDef("v4", 1234, "uint8")])


def test_v6_user_definition_clashes(defs):
    with pytest.raises(OptionDefError, match="clashes with the existing definition 'dhcp6.dns-servers'"):
        defs.with_defs([OptionDef("my-dns", 23, "ipv6-address", True, space=DHCP6_SPACE)])
    with pytest.raises(OptionDefError, match="same name"):
        defs.with_defs([OptionDef("dns-servers", 1000, "ipv6-address", True, space=DHCP6_SPACE)])


# -- option data -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,text,wire", [
    ("dns-servers", "2001:db8::1, 2001:db8::2", ip6("2001:db8::1") + ip6("2001:db8::2")),
    ("domain-search", "example.com, a.b.", b"\x07example\x03com\x00\x01a\x01b\x00"),
    ("preference", "255", b"\xff"),
    ("information-refresh-time", "0xffffffff", b"\xff\xff\xff\xff"),
    ("oro", "23, 24", b"\x00\x17\x00\x18"),
    ("unicast", "2001:db8::53", ip6("2001:db8::53")),
    ("status-code", "2, no addresses", b"\x00\x02no addresses"),
    ("iaprefix", "3000, 4000, 56, 2001:db8:100::", b"\x00\x00\x0b\xb8\x00\x00\x0f\xa0\x38" + ip6("2001:db8:100::")),
    ("iaaddr", "2001:db8::5, 1, 2", ip6("2001:db8::5") + b"\x00\x00\x00\x01\x00\x00\x00\x02"),
    ("client-fqdn", "1, host.example.com.", b"\x01\x04host\x07example\x03com\x00"),
    ("pd-exclude", "2001:db8:0:10::/60", b"\x3c" + ip6("2001:db8:0:10::")[:8]),
    ("bootfile-param", "root=/dev/sda, quiet", b"\x00\x0droot=/dev/sda\x00\x05quiet"),
    ("rapid-commit", "", b""),
    ("bootfile-url", "tftp://[2001:db8::1]/boot", b"tftp://[2001:db8::1]/boot"),
    ("rdnss-selection", "2001:db8::1, 1, example.com, example.org",
     ip6("2001:db8::1") + b"\x01\x07example\x03com\x00\x07example\x03org\x00"),
])
def test_encode_and_decode_v6_option_data(defs, name, text, wire):
    d = defs.by_name(DHCP6_SPACE, name)
    assert encode_option_data(d, text) == wire
    assert encode_option_data(d, decode_option_data(d, wire)) == wire


def test_hex_option_data_and_errors(defs):
    d = defs.by_name(DHCP6_SPACE, "dns-servers")
    assert encode_option_data(d, "20010db8" + "00" * 11 + "01", csv_format=False) == ip6("2001:db8::1")
    assert encode_option_data(None, "0a:0b", code=1000) == b"\x0a\x0b"
    with pytest.raises(OptionDataError, match="'10.0.0.1' is not a valid ipv6-address"):
        encode_option_data(d, "10.0.0.1")
    with pytest.raises(OptionDataError, match="out of range for uint8"):
        encode_option_data(defs.by_name(DHCP6_SPACE, "preference"), "256")
    with pytest.raises(OptionDataError, match="insufficient number of values"):
        encode_option_data(defs.by_name(DHCP6_SPACE, "iaprefix"), "1, 2")


def test_tuple_length_follows_the_family():
    v4_tuple = next(d for d in STANDARD_V4_DEFS if d.type == "tuple")
    assert encode_option_data(v4_tuple, "ab") == b"\x02ab"
    assert decode_option_data(v4_tuple, b"\x02ab") == "ab"
    user_v6 = OptionDef("t", 1000, "tuple", space="my-space")
    assert encode_option_data(user_v6, "ab") == b"\x02ab"            # unknown space: DHCPv4 rules
    assert encode_option_data(user_v6, "ab", family=6) == b"\x00\x02ab"
    assert decode_option_data(user_v6, b"\x00\x02ab", family=6) == "ab"
    assert encode_option_data(OptionDef("t", 1000, "tuple", space=DHCP6_SPACE), "ab") == b"\x00\x02ab"


# -- against Kea 2.2 itself --------------------------------------------------------------------------------

SAMPLE = {"uint8": "1", "uint16": "1", "uint32": "1", "int32": "-1", "ipv6-address": "2001:db8::1",
          "ipv4-address": "192.0.2.1", "fqdn": "example.com.", "string": "abc", "binary": "0a0b",
          "tuple": "abc", "ipv6-prefix": "2001:db8::/32", "psid": "1/8", "empty": ""}


def _sample(d: OptionDef) -> str:
    if d.name == "vendor-class":
        return "4491, 00030a0b0c"           # the binary tail is opaque-data tuples, which Kea checks
    return ", ".join(SAMPLE[t] for t in d.record_types) if d.type == "record" else SAMPLE[d.type]


def _kea_check(tmp_path, option_data: list[dict]) -> subprocess.CompletedProcess:
    path = tmp_path / "kea-dhcp6.json"
    path.write_text(json.dumps({"Dhcp6": {"lease-database": {"type": "memfile", "persist": False},
                                          "option-data": option_data}}))
    return subprocess.run([KEA_DHCP6, "-t", str(path)], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(KEA_DHCP6 is None, reason="kea-dhcp6 (Kea 2.2) is not installed")
def test_kea_accepts_every_name_code_and_csv_value(tmp_path):
    done = _kea_check(tmp_path, [{"name": d.name, "code": d.code, "space": d.space, "data": _sample(d)}
                                 for d in ALL_V6])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(KEA_DHCP6 is None, reason="kea-dhcp6 (Kea 2.2) is not installed")
def test_kea_accepts_lessors_wire_encoding_of_every_option(tmp_path):
    # csv-format false: Kea unpacks the given bytes with its own definition, so wrong lengths are refused.
    done = _kea_check(tmp_path, [{"name": d.name, "code": d.code, "space": d.space, "csv-format": False,
                                  "data": encode_option_data(d, _sample(d)).hex()}
                                 for d in ALL_V6 if d.type != "empty"])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(KEA_DHCP6 is None, reason="kea-dhcp6 (Kea 2.2) is not installed")
def test_kea_refuses_names_it_does_not_define(tmp_path):
    done = _kea_check(tmp_path, [{"name": "ntp-server", "code": 56, "data": ""}])
    assert done.returncode != 0 and "does not exist" in done.stdout + done.stderr
