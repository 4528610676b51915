"""DHCPv4 option definitions: Kea 2.2's standard table plus a registry for user ``option-def`` entries.

Every option is one row (name, code, type, array flag, record field types, encapsulated space, space);
one generic encoder/decoder (:mod:`server.wire.optiondata`) serves all rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

DHCP4_SPACE = "dhcp4"
AGENT_SPACE = "dhcp-agent-options-space"
VENDOR_ENCAP_SPACE = "vendor-encapsulated-options-space"
DHCP6_SPACE = "dhcp6"
VENDOR_OPTS_SPACE = "vendor-opts-space"      # what vendor-opts (17) encapsulates
RSOO_SPACE = "rsoo-opts"
S46_CONT_MAPE_SPACE = "s46-cont-mape-options"
S46_CONT_MAPT_SPACE = "s46-cont-mapt-options"
S46_CONT_LW_SPACE = "s46-cont-lw-options"
S46_RULE_SPACE = "s46-rule-options"
S46_V4V6BIND_SPACE = "s46-v4v6bind-options"
DOCSIS3_V6_SPACE = "vendor-4491"             # CableLabs (DOCSIS 3.0) vendor options in vendor-opts
ISC_V6_SPACE = "vendor-2495"                 # ISC's own vendor options (DHCPv4-over-DHCPv6)

MAX_V4_CODE = 254
MAX_V6_CODE = 65535

OPTION_TYPES = frozenset({
    "empty", "binary", "boolean", "int8", "int16", "int32", "uint8", "uint16", "uint32", "ipv4-address",
    "ipv6-address", "ipv6-prefix", "string", "fqdn", "tuple", "record", "psid", "internal",
})
# Types that may appear as a field of a record.
RECORD_FIELD_TYPES = OPTION_TYPES - {"empty", "record", "internal"}
# Variable-length types: only allowed as the last field of a record.
_TAIL_ONLY_TYPES = frozenset({"string", "binary"})
# Types that cannot be arrays (Kea refuses them).
_NO_ARRAY_TYPES = frozenset({"empty", "string", "binary", "internal"})

# Standard dhcp4 codes a user option-def may redefine (Kea only knows 43 as a "last resort" definition).
_OVERRIDABLE = frozenset({(DHCP4_SPACE, 43)})


class OptionDefError(ValueError):
    """An invalid option definition, or a clash with an existing one."""


@dataclass(frozen=True)
class OptionDef:
    name: str
    code: int
    type: str
    array: bool = False
    record_types: tuple[str, ...] = ()
    encapsulate: str = ""
    space: str = DHCP4_SPACE


def _d(name: str, code: int, type_: str, array: bool = False, record: tuple[str, ...] = (),
       encapsulate: str = "", space: str = DHCP4_SPACE) -> OptionDef:
    return OptionDef(name, code, type_, array, record, encapsulate, space)


_IP = "ipv4-address"

STANDARD_V4_DEFS: tuple[OptionDef, ...] = (
    _d("subnet-mask", 1, _IP),
    _d("time-offset", 2, "int32"),
    _d("routers", 3, _IP, True),
    _d("time-servers", 4, _IP, True),
    _d("name-servers", 5, _IP, True),
    _d("domain-name-servers", 6, _IP, True),
    _d("log-servers", 7, _IP, True),
    _d("cookie-servers", 8, _IP, True),
    _d("lpr-servers", 9, _IP, True),
    _d("impress-servers", 10, _IP, True),
    _d("resource-location-servers", 11, _IP, True),
    _d("host-name", 12, "string"),
    _d("boot-size", 13, "uint16"),
    _d("merit-dump", 14, "string"),
    _d("domain-name", 15, "string"),
    _d("swap-server", 16, _IP),
    _d("root-path", 17, "string"),
    _d("extensions-path", 18, "string"),
    _d("ip-forwarding", 19, "boolean"),
    _d("non-local-source-routing", 20, "boolean"),
    _d("policy-filter", 21, _IP, True),
    _d("max-dgram-reassembly", 22, "uint16"),
    _d("default-ip-ttl", 23, "uint8"),
    _d("path-mtu-aging-timeout", 24, "uint32"),
    _d("path-mtu-plateau-table", 25, "uint16", True),
    _d("interface-mtu", 26, "uint16"),
    _d("all-subnets-local", 27, "boolean"),
    _d("broadcast-address", 28, _IP),
    _d("perform-mask-discovery", 29, "boolean"),
    _d("mask-supplier", 30, "boolean"),
    _d("router-discovery", 31, "boolean"),
    _d("router-solicitation-address", 32, _IP),
    _d("static-routes", 33, _IP, True),
    _d("trailer-encapsulation", 34, "boolean"),
    _d("arp-cache-timeout", 35, "uint32"),
    _d("ieee802-3-encapsulation", 36, "boolean"),
    _d("default-tcp-ttl", 37, "uint8"),
    _d("tcp-keepalive-interval", 38, "uint32"),
    _d("tcp-keepalive-garbage", 39, "boolean"),
    _d("nis-domain", 40, "string"),
    _d("nis-servers", 41, _IP, True),
    _d("ntp-servers", 42, _IP, True),
    # Kea keeps 43 as a "last resort" definition: a user option-def may replace it.
    _d("vendor-encapsulated-options", 43, "empty", encapsulate=VENDOR_ENCAP_SPACE),
    _d("netbios-name-servers", 44, _IP, True),
    _d("netbios-dd-server", 45, _IP, True),
    _d("netbios-node-type", 46, "uint8"),
    _d("netbios-scope", 47, "string"),
    _d("font-servers", 48, _IP, True),
    _d("x-display-manager", 49, _IP, True),
    _d("dhcp-requested-address", 50, _IP),
    _d("dhcp-lease-time", 51, "uint32"),
    _d("dhcp-option-overload", 52, "uint8"),
    _d("dhcp-message-type", 53, "uint8"),
    _d("dhcp-server-identifier", 54, _IP),
    _d("dhcp-parameter-request-list", 55, "uint8", True),
    _d("dhcp-message", 56, "string"),
    _d("dhcp-max-message-size", 57, "uint16"),
    _d("dhcp-renewal-time", 58, "uint32"),
    _d("dhcp-rebinding-time", 59, "uint32"),
    _d("vendor-class-identifier", 60, "string"),
    _d("dhcp-client-identifier", 61, "binary"),
    _d("nwip-domain-name", 62, "string"),
    _d("nwip-suboptions", 63, "binary"),
    _d("nisplus-domain-name", 64, "string"),
    _d("nisplus-servers", 65, _IP, True),
    _d("tftp-server-name", 66, "string"),
    _d("boot-file-name", 67, "string"),
    _d("mobile-ip-home-agent", 68, _IP, True),
    _d("smtp-server", 69, _IP, True),
    _d("pop-server", 70, _IP, True),
    _d("nntp-server", 71, _IP, True),
    _d("www-server", 72, _IP, True),
    _d("finger-server", 73, _IP, True),
    _d("irc-server", 74, _IP, True),
    _d("streettalk-server", 75, _IP, True),
    _d("streettalk-directory-assistance-server", 76, _IP, True),
    _d("user-class", 77, "binary"),
    _d("slp-directory-agent", 78, "record", True, ("boolean", _IP)),
    _d("slp-service-scope", 79, "record", False, ("boolean", "string")),
    _d("fqdn", 81, "record", False, ("uint8", "uint8", "uint8", "fqdn")),
    _d("dhcp-agent-options", 82, "empty", encapsulate=AGENT_SPACE),
    _d("nds-servers", 85, _IP, True),
    _d("nds-tree-name", 86, "string"),
    _d("nds-context", 87, "string"),
    _d("bcms-controller-names", 88, "fqdn", True),
    _d("bcms-controller-address", 89, _IP, True),
    _d("authenticate", 90, "binary"),
    _d("client-last-transaction-time", 91, "uint32"),
    _d("associated-ip", 92, _IP, True),
    _d("client-system", 93, "uint16", True),
    _d("client-ndi", 94, "record", False, ("uint8", "uint8", "uint8")),
    _d("uuid-guid", 97, "record", False, ("uint8", "binary")),
    _d("uap-servers", 98, "string"),
    _d("geoconf-civic", 99, "binary"),
    _d("pcode", 100, "string"),
    _d("tcode", 101, "string"),
    _d("v6-only-preferred", 108, "uint32"),
    _d("netinfo-server-address", 112, _IP, True),
    _d("netinfo-server-tag", 113, "string"),
    _d("v4-captive-portal", 114, "string"),
    _d("auto-config", 116, "uint8"),
    _d("name-service-search", 117, "uint16", True),
    _d("subnet-selection", 118, _IP),
    _d("domain-search", 119, "fqdn", True),
    _d("vivco-suboptions", 124, "record", False, ("uint32", "binary")),
    _d("vivso-suboptions", 125, "uint32"),
    _d("pana-agent", 136, _IP, True),
    _d("v4-lost", 137, "fqdn"),
    _d("capwap-ac-v4", 138, _IP, True),
    _d("sip-ua-cs-domains", 141, "fqdn", True),
    _d("v4-sztp-redirect", 143, "tuple", True),
    _d("rdnss-selection", 146, "record", True, ("uint8", _IP, _IP, "fqdn")),
    _d("v4-portparams", 159, "record", False, ("uint8", "psid")),
    _d("option-6rd", 212, "record", True, ("uint8", "uint8", "ipv6-address", _IP)),
    _d("v4-access-domain", 213, "fqdn"),
)

AGENT_OPTION_DEFS: tuple[OptionDef, ...] = tuple(
    _d(name, code, type_, space=AGENT_SPACE) for name, code, type_ in (
        ("circuit-id", 1, "binary"),
        ("remote-id", 2, "binary"),
        ("docsis-device-class", 4, "uint32"),
        ("link-selection", 5, _IP),
        ("subscriber-id", 6, "string"),
        ("radius", 7, "binary"),
        ("auth", 8, "binary"),
        ("vendor-specific-info", 9, "binary"),
        ("relay-flags", 10, "uint8"),
        ("server-id-override", 11, _IP),
        ("relay-id", 12, "binary"),
        ("access-techno-type", 13, "uint16"),
        ("access-network-name", 14, "string"),
        ("access-point-name", 15, "string"),
        ("access-point-bssid", 16, "binary"),
        ("operator-id", 17, "uint32"),
        ("operator-realm", 18, "string"),
        ("relay-port", 19, "uint16"),
        ("virtual-subnet-select", 151, "binary"),
        ("virtual-subnet-select-ctrl", 152, "empty"),
    )
)

# Sub-option spaces Kea knows: name -> definitions (vendor-encapsulated-options-space starts empty).
STANDARD_V4_SPACES: MappingProxyType[str, tuple[OptionDef, ...]] = MappingProxyType({
    DHCP4_SPACE: STANDARD_V4_DEFS,
    AGENT_SPACE: AGENT_OPTION_DEFS,
    VENDOR_ENCAP_SPACE: (),
})


# ---------------------------------------------------------------------------------------------------- DHCPv6

def _d6(name: str, code: int, type_: str, array: bool = False, record: tuple[str, ...] = (),
        encapsulate: str = "", space: str = DHCP6_SPACE) -> OptionDef:
    return OptionDef(name, code, type_, array, record, encapsulate, space)


_IP6 = "ipv6-address"
_LIFETIMES = ("uint32", "uint32", "uint32")

# Kea 2.2's standard "dhcp6" space (checked name by name and code by code against kea-dhcp6 2.2.0).
STANDARD_V6_DEFS: tuple[OptionDef, ...] = (
    _d6("clientid", 1, "binary"),
    _d6("serverid", 2, "binary"),
    _d6("ia-na", 3, "record", record=_LIFETIMES, encapsulate=DHCP6_SPACE),
    _d6("ia-ta", 4, "uint32", encapsulate=DHCP6_SPACE),
    _d6("iaaddr", 5, "record", record=(_IP6, "uint32", "uint32"), encapsulate=DHCP6_SPACE),
    _d6("oro", 6, "uint16", True),
    _d6("preference", 7, "uint8"),
    _d6("elapsed-time", 8, "uint16"),
    _d6("relay-msg", 9, "binary"),
    _d6("auth", 11, "binary"),
    _d6("unicast", 12, _IP6),
    _d6("status-code", 13, "record", record=("uint16", "string")),
    _d6("rapid-commit", 14, "empty"),
    _d6("user-class", 15, "binary"),
    # The binary tail holds opaque-data tuples (2-byte length each); Kea checks them.
    _d6("vendor-class", 16, "record", record=("uint32", "binary")),
    _d6("vendor-opts", 17, "uint32", encapsulate=VENDOR_OPTS_SPACE),
    _d6("interface-id", 18, "binary"),
    _d6("reconf-msg", 19, "uint8"),
    _d6("reconf-accept", 20, "empty"),
    _d6("sip-server-dns", 21, "fqdn", True),
    _d6("sip-server-addr", 22, _IP6, True),
    _d6("dns-servers", 23, _IP6, True),
    _d6("domain-search", 24, "fqdn", True),
    _d6("ia-pd", 25, "record", record=_LIFETIMES, encapsulate=DHCP6_SPACE),
    _d6("iaprefix", 26, "record", record=("uint32", "uint32", "uint8", _IP6), encapsulate=DHCP6_SPACE),
    _d6("nis-servers", 27, _IP6, True),
    _d6("nisp-servers", 28, _IP6, True),
    _d6("nis-domain-name", 29, "fqdn", True),
    _d6("nisp-domain-name", 30, "fqdn", True),
    _d6("sntp-servers", 31, _IP6, True),
    _d6("information-refresh-time", 32, "uint32"),
    _d6("bcmcs-server-dns", 33, "fqdn", True),
    _d6("bcmcs-server-addr", 34, _IP6, True),
    _d6("geoconf-civic", 36, "record", record=("uint8", "uint16", "binary")),
    _d6("remote-id", 37, "record", record=("uint32", "binary")),
    _d6("subscriber-id", 38, "binary"),
    _d6("client-fqdn", 39, "record", record=("uint8", "fqdn")),
    _d6("pana-agent", 40, _IP6, True),
    _d6("new-posix-timezone", 41, "string"),
    _d6("new-tzdb-timezone", 42, "string"),
    _d6("ero", 43, "uint16", True),
    _d6("lq-query", 44, "record", record=("uint8", _IP6), encapsulate=DHCP6_SPACE),
    _d6("client-data", 45, "empty", encapsulate=DHCP6_SPACE),
    _d6("clt-time", 46, "uint32"),
    _d6("lq-relay-data", 47, "record", record=(_IP6, "binary")),
    _d6("lq-client-link", 48, _IP6, True),
    _d6("v6-lost", 51, "fqdn"),
    _d6("capwap-ac-v6", 52, _IP6, True),
    _d6("relay-id", 53, "binary"),
    _d6("v6-access-domain", 57, "fqdn"),
    _d6("sip-ua-cs-list", 58, "fqdn", True),
    _d6("bootfile-url", 59, "string"),
    _d6("bootfile-param", 60, "tuple", True),
    _d6("client-arch-type", 61, "uint16", True),
    _d6("nii", 62, "record", record=("uint8", "uint8", "uint8")),
    _d6("aftr-name", 64, "fqdn"),
    _d6("erp-local-domain-name", 65, "fqdn"),
    _d6("rsoo", 66, "empty", encapsulate=RSOO_SPACE),
    _d6("pd-exclude", 67, "ipv6-prefix"),
    _d6("rdnss-selection", 74, "record", True, (_IP6, "uint8", "fqdn")),
    _d6("client-linklayer-addr", 79, "binary"),
    _d6("link-address", 80, _IP6),
    _d6("solmax-rt", 82, "uint32"),
    _d6("inf-max-rt", 83, "uint32"),
    _d6("dhcpv4-message", 87, "binary"),
    _d6("dhcp4o6-server-addr", 88, _IP6, True),
    _d6("s46-cont-mape", 94, "empty", encapsulate=S46_CONT_MAPE_SPACE),
    _d6("s46-cont-mapt", 95, "empty", encapsulate=S46_CONT_MAPT_SPACE),
    _d6("s46-cont-lw", 96, "empty", encapsulate=S46_CONT_LW_SPACE),
    _d6("v6-captive-portal", 103, "string"),
    _d6("relay-source-port", 135, "uint16"),
    _d6("ipv6-address-andsf", 143, _IP6, True),
)

# RFC 7598 softwire (MAP-E, MAP-T, lightweight 4over6) options live in sub-spaces, not in "dhcp6".
_S46_RULE = _d6("s46-rule", 89, "record", record=("uint8", "uint8", "uint8", "ipv4-address", "ipv6-prefix"),
                encapsulate=S46_RULE_SPACE)
_S46_BR = _d6("s46-br", 90, _IP6)
_S46_PORTPARAMS = _d6("s46-portparams", 93, "record", record=("uint8", "psid"))
S46_OPTION_DEFS: tuple[OptionDef, ...] = tuple(
    OptionDef(d.name, d.code, d.type, d.array, d.record_types, d.encapsulate, space)
    for space, defs in (
        (S46_CONT_MAPE_SPACE, (_S46_RULE, _S46_BR)),
        (S46_CONT_MAPT_SPACE, (_S46_RULE, _d6("s46-dmr", 91, "ipv6-prefix"))),
        (S46_CONT_LW_SPACE, (_S46_BR, _d6("s46-v4v6bind", 92, "record", record=("ipv4-address", "ipv6-prefix"),
                                          encapsulate=S46_V4V6BIND_SPACE))),
        (S46_RULE_SPACE, (_S46_PORTPARAMS,)),
        (S46_V4V6BIND_SPACE, (_S46_PORTPARAMS,)),
    )
    for d in defs
)

# DOCSIS 3.0 options carried in vendor-opts with enterprise number 4491 (CableLabs).
DOCSIS3_V6_OPTION_DEFS: tuple[OptionDef, ...] = (
    _d6("oro", 1, "uint16", True, space=DOCSIS3_V6_SPACE),
    _d6("device-type", 2, "string", space=DOCSIS3_V6_SPACE),
    _d6("vendor-type", 10, "string", space=DOCSIS3_V6_SPACE),
    _d6("tftp-servers", 32, _IP6, True, space=DOCSIS3_V6_SPACE),
    _d6("config-file", 33, "string", space=DOCSIS3_V6_SPACE),
    _d6("syslog-servers", 34, _IP6, True, space=DOCSIS3_V6_SPACE),
    _d6("device-id", 36, "binary", space=DOCSIS3_V6_SPACE),
    _d6("time-servers", 37, _IP6, True, space=DOCSIS3_V6_SPACE),
    _d6("time-offset", 38, "int32", space=DOCSIS3_V6_SPACE),
    _d6("cmts-cm-mac", 1026, "binary", space=DOCSIS3_V6_SPACE),
)

# ISC's vendor options (enterprise 2495), used between kea-dhcp4 and kea-dhcp6 for DHCPv4-over-DHCPv6.
ISC_V6_OPTION_DEFS: tuple[OptionDef, ...] = (
    _d6("4o6-interface", 60000, "string", space=ISC_V6_SPACE),
    _d6("4o6-source-address", 60001, _IP6, space=ISC_V6_SPACE),
    _d6("4o6-source-port", 60002, "uint16", space=ISC_V6_SPACE),
)

# Every DHCPv6 space Kea 2.2 knows, with its standard definitions (vendor-opts-space and rsoo-opts start empty).
STANDARD_V6_SPACES: MappingProxyType[str, tuple[OptionDef, ...]] = MappingProxyType({
    DHCP6_SPACE: STANDARD_V6_DEFS,
    VENDOR_OPTS_SPACE: (),
    RSOO_SPACE: (),
    **{space: tuple(d for d in S46_OPTION_DEFS if d.space == space)
       for space in (S46_CONT_MAPE_SPACE, S46_CONT_MAPT_SPACE, S46_CONT_LW_SPACE, S46_RULE_SPACE,
                     S46_V4V6BIND_SPACE)},
    DOCSIS3_V6_SPACE: DOCSIS3_V6_OPTION_DEFS,
    ISC_V6_SPACE: ISC_V6_OPTION_DEFS,
})
# Names of the spaces whose options use DHCPv6 encodings (2-byte codes/lengths, 2-byte tuple lengths).
V6_SPACES: frozenset[str] = frozenset(STANDARD_V6_SPACES)


def validate_def(defn: OptionDef, family: int = 4) -> None:
    """Raise OptionDefError naming the problem if ``defn`` is not a valid definition (Kea's rules).

    ``family`` 4: codes 1..254 (0 is PAD, 255 is END); 6: codes 1..65535."""
    where = f"option definition '{defn.space}.{defn.name}' (code {defn.code})"
    if not defn.name or not all(c.isalnum() or c in "-_." for c in defn.name) or defn.name[0] in "-_.":
        raise OptionDefError(f"{where}: invalid option name {defn.name!r}")
    if not defn.space:
        raise OptionDefError(f"{where}: empty option space name")
    if family == 6:
        if not isinstance(defn.code, int) or isinstance(defn.code, bool) or not 1 <= defn.code <= MAX_V6_CODE:
            raise OptionDefError(f"{where}: option code {defn.code!r} out of range 1..{MAX_V6_CODE}")
    else:
        if not isinstance(defn.code, int) or isinstance(defn.code, bool) or not 0 <= defn.code <= 255:
            raise OptionDefError(f"{where}: option code {defn.code!r} out of range 1..{MAX_V4_CODE}")
        if defn.code in (0, 255):
            raise OptionDefError(
                f"{where}: option code {defn.code} is reserved ({'PAD' if defn.code == 0 else 'END'})")
    if defn.type not in OPTION_TYPES:
        raise OptionDefError(f"{where}: unknown option type {defn.type!r}")
    if defn.array and defn.type in _NO_ARRAY_TYPES:
        raise OptionDefError(f"{where}: an array of type {defn.type!r} is not a valid option definition")
    if defn.type == "record":
        if len(defn.record_types) < 2:
            raise OptionDefError(f"{where}: a record needs at least 2 record-types, got {len(defn.record_types)}")
        for i, field in enumerate(defn.record_types):
            if field not in RECORD_FIELD_TYPES:
                raise OptionDefError(f"{where}: invalid record field type {field!r}")
            if field in _TAIL_ONLY_TYPES and i != len(defn.record_types) - 1:
                raise OptionDefError(f"{where}: a {field} field may only be the last field of a record")
            if defn.array and field in _TAIL_ONLY_TYPES:
                raise OptionDefError(f"{where}: an array record cannot end with a {field} field")
    elif defn.record_types:
        raise OptionDefError(f"{where}: record-types given but the type is {defn.type!r}, not 'record'")
    if defn.encapsulate and defn.encapsulate == defn.space:
        raise OptionDefError(f"{where}: an option cannot encapsulate its own space {defn.space!r}")


class OptionDefs:
    """An immutable registry of option definitions, looked up by (space, name) or (space, code)."""

    __slots__ = ("_by_code", "_by_name", "family")

    def __init__(self, defs: Iterable[OptionDef] = (), family: int = 4) -> None:
        by_name: dict[tuple[str, str], OptionDef] = {}
        by_code: dict[tuple[str, int], OptionDef] = {}
        for d in defs:
            _add(by_name, by_code, d, replace_ok=False)
        self._by_name = MappingProxyType(by_name)
        self._by_code = MappingProxyType(by_code)
        self.family = family

    @classmethod
    def standard_v4(cls) -> OptionDefs:
        """The standard DHCPv4 definitions: dhcp4 space plus the agent and vendor-encapsulated sub-spaces."""
        return cls(d for defs in STANDARD_V4_SPACES.values() for d in defs)

    @classmethod
    def standard_v6(cls) -> OptionDefs:
        """The standard DHCPv6 definitions: space dhcp6 plus Kea's v6 sub-spaces (s46-*, vendor-4491, ...)."""
        return cls((d for defs in STANDARD_V6_SPACES.values() for d in defs), family=6)

    def with_defs(self, defs: Iterable[OptionDef]) -> OptionDefs:
        """A new registry with ``defs`` added. Raises OptionDefError on an invalid definition or a clash."""
        by_name = dict(self._by_name)
        by_code = dict(self._by_code)
        for d in defs:
            validate_def(d, self.family)
            _add(by_name, by_code, d, replace_ok=True)
        new = OptionDefs.__new__(OptionDefs)
        new._by_name = MappingProxyType(by_name)
        new._by_code = MappingProxyType(by_code)
        new.family = self.family
        return new

    def by_name(self, space: str, name: str) -> OptionDef | None:
        return self._by_name.get((space, name))

    def by_code(self, space: str, code: int) -> OptionDef | None:
        return self._by_code.get((space, code))

    def space(self, space: str) -> tuple[OptionDef, ...]:
        """All definitions of one space, ordered by code."""
        return tuple(sorted((d for (s, _), d in self._by_code.items() if s == space), key=lambda d: d.code))

    def spaces(self) -> frozenset[str]:
        return frozenset(s for s, _ in self._by_code)

    def __iter__(self):
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, item: object) -> bool:
        return item in self._by_code.values()


def _add(by_name: dict, by_code: dict, d: OptionDef, replace_ok: bool) -> None:
    old = by_code.get((d.space, d.code))
    if old is not None:
        if not (replace_ok and (d.space, d.code) in _OVERRIDABLE and old in STANDARD_V4_DEFS):
            raise OptionDefError(
                f"option definition '{d.space}.{d.name}' code {d.code} clashes with the existing definition "
                f"'{old.space}.{old.name}' (same code in space '{d.space}')")
        del by_name[(old.space, old.name)]
        del by_code[(old.space, old.code)]
    clash = by_name.get((d.space, d.name))
    if clash is not None:
        raise OptionDefError(
            f"option definition '{d.space}.{d.name}' code {d.code} clashes with the existing definition "
            f"'{clash.space}.{clash.name}' code {clash.code} (same name in space '{d.space}')")
    by_name[(d.space, d.name)] = d
    by_code[(d.space, d.code)] = d
