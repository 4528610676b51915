"""Wire codecs: DHCPv4 packets, option definitions and Kea's option-data text form."""

from server.wire.optiondata import (
    OptionDataError,
    decode_option_data,
    encode_fqdn,
    encode_option_data,
    encode_tlvs,
    parse_hex,
    parse_tlvs,
    split_csv,
)
from server.wire.optiondefs import (
    AGENT_OPTION_DEFS,
    AGENT_SPACE,
    DHCP4_SPACE,
    STANDARD_V4_DEFS,
    STANDARD_V4_SPACES,
    VENDOR_ENCAP_SPACE,
    OptionDef,
    OptionDefError,
    OptionDefs,
    validate_def,
)
from server.wire.packet4 import MAGIC_COOKIE, Packet4, ParseError, decode4, encode4, ip4, ip4_str

__all__ = [
    "AGENT_OPTION_DEFS", "AGENT_SPACE", "DHCP4_SPACE", "MAGIC_COOKIE", "STANDARD_V4_DEFS", "STANDARD_V4_SPACES",
    "VENDOR_ENCAP_SPACE", "OptionDataError", "OptionDef", "OptionDefError", "OptionDefs", "Packet4", "ParseError",
    "decode4", "decode_option_data", "encode4", "encode_fqdn", "encode_option_data", "encode_tlvs", "ip4",
    "ip4_str", "parse_hex", "parse_tlvs", "split_csv", "validate_def",
]
