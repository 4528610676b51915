"""Wire codecs: DHCPv4 and DHCPv6 packets, option definitions and Kea's option-data text form.

The DHCPv6 codec's own ParseError is ``server.wire.packet6.ParseError`` (exported here as ParseError6);
``ParseError`` is the DHCPv4 one.
"""

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
    DHCP6_SPACE,
    STANDARD_V4_DEFS,
    STANDARD_V4_SPACES,
    STANDARD_V6_DEFS,
    STANDARD_V6_SPACES,
    V6_SPACES,
    VENDOR_ENCAP_SPACE,
    OptionDef,
    OptionDefError,
    OptionDefs,
    validate_def,
)
from server.wire.packet4 import MAGIC_COOKIE, Packet4, ParseError, decode4, encode4, ip4, ip4_str
from server.wire.packet6 import Message6, Relay6, decode6, encode6
from server.wire.packet6 import ParseError as ParseError6

__all__ = [
    "AGENT_OPTION_DEFS", "AGENT_SPACE", "DHCP4_SPACE", "DHCP6_SPACE", "MAGIC_COOKIE", "STANDARD_V4_DEFS",
    "STANDARD_V4_SPACES", "STANDARD_V6_DEFS", "STANDARD_V6_SPACES", "V6_SPACES", "VENDOR_ENCAP_SPACE",
    "Message6", "OptionDataError", "OptionDef", "OptionDefError", "OptionDefs", "Packet4", "ParseError",
    "ParseError6", "Relay6", "decode4", "decode6", "decode_option_data", "encode4", "encode6", "encode_fqdn",
    "encode_option_data", "encode_tlvs", "ip4", "ip4_str", "parse_hex", "parse_tlvs", "split_csv", "validate_def",
]
