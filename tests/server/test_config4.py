"""Kea Dhcp4 configuration: what lessor accepts, and the errors (with JSON paths) for what it refuses."""

from __future__ import annotations

import json

import pytest

from server.config import ConfigError
from server.config.dhcp4 import parse_dhcp4
from server.config.loader import load_file, parse_text


def base(**extra) -> dict:
    conf = {
        "interfaces-config": {"interfaces": ["eth0"]},
        "valid-lifetime": 4000,
        "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.10 - 192.0.2.20"}]}],
    }
    conf.update(extra)
    return {"Dhcp4": conf}


def test_minimal_config_and_inheritance():
    doc = base(**{"renew-timer": 1000, "match-client-id": False,
                  "option-data": [{"name": "domain-name-servers", "data": "192.0.2.53, 192.0.2.54"}]})
    doc["Dhcp4"]["subnet4"][0]["option-data"] = [{"name": "routers", "data": "192.0.2.1"}]
    cfg = parse_dhcp4(doc)
    [s] = cfg.subnets
    assert s.valid_lifetime == 4000 and s.renew_timer == 1000 and s.match_client_id is False
    assert s.options[6].data == bytes([192, 0, 2, 53, 192, 0, 2, 54])
    assert s.options[3].data == bytes([192, 0, 2, 1])
    assert s.pools[0].start == 0xC000020A and s.pools[0].end == 0xC0000214
    assert cfg.echo_client_id is True and cfg.socket_type == "raw"


def test_unknown_key_names_its_path():
    doc = base()
    doc["Dhcp4"]["subnet4"][0]["pools"][0]["bogus"] = 1
    with pytest.raises(ConfigError, match=r"/Dhcp4/subnet4\[0\]/pools\[0\]/bogus: unknown parameter"):
        parse_dhcp4(doc)


@pytest.mark.parametrize("key,value", [("client-classes", []), ("store-extended-info", True),
                                       ("host-reservation-identifiers", ["hw-address"])])
def test_kea_keys_not_implemented_are_refused_explicitly(key, value):
    with pytest.raises(ConfigError, match=f"not supported yet: {key}"):
        parse_dhcp4(base(**{key: value}))


def test_pool_outside_subnet_is_refused():
    doc = base()
    doc["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "203.0.113.1-203.0.113.9"}]
    with pytest.raises(ConfigError, match="is not inside subnet"):
        parse_dhcp4(doc)


def test_bad_option_data_names_the_option():
    doc = base(**{"option-data": [{"name": "routers", "data": "not-an-address"}]})
    with pytest.raises(ConfigError, match=r"/Dhcp4/option-data\[0\]/data"):
        parse_dhcp4(doc)


def test_custom_option_def_and_sub_options():
    doc = base(**{
        "option-def": [{"name": "my-opt", "code": 224, "type": "uint16", "array": True}],
        "option-data": [{"name": "my-opt", "data": "1, 2, 258"}],
    })
    cfg = parse_dhcp4(doc)
    assert cfg.subnets[0].options[224].data == bytes([0, 1, 0, 2, 1, 2])


def test_reservations_and_shared_networks():
    doc = base()
    doc["Dhcp4"]["subnet4"][0]["reservations"] = [
        {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.200", "hostname": "a"},
        {"client-id": "01:02:03", "ip-address": "192.0.2.201"},
    ]
    doc["Dhcp4"]["shared-networks"] = [{"name": "net", "relay": {"ip-addresses": ["198.51.100.1"]},
                                        "subnet4": [{"id": 2, "subnet": "198.51.100.0/24",
                                                     "pools": [{"pool": "198.51.100.0/28"}]}]}]
    cfg = parse_dhcp4(doc)
    s1, s2 = cfg.subnets
    assert s1.by_hw[bytes.fromhex("020000000001")].ip_address == 0xC00002C8
    assert s1.by_client_id[bytes.fromhex("010203")].ip_address == 0xC00002C9
    assert s2.shared_network == "net" and 0xC6336401 in s2.relay_addresses


def test_duplicate_subnet_id():
    doc = base()
    doc["Dhcp4"]["subnet4"].append({"id": 1, "subnet": "198.51.100.0/24"})
    with pytest.raises(ConfigError, match="subnet id 1 is used by"):
        parse_dhcp4(doc)


def test_comments_and_includes(tmp_path):
    (tmp_path / "subnets.json").write_text(json.dumps(base()["Dhcp4"]["subnet4"]))
    main = tmp_path / "main.json"
    main.write_text('{ # comment\n "Dhcp4": { // another\n /* block\n */ "subnet4": <?include "subnets.json"?> } }')
    cfg = parse_dhcp4(load_file(str(main)))
    assert cfg.subnets[0].id == 1


def test_invalid_json_reports_the_position():
    with pytest.raises(ConfigError, match="line 2 column"):
        parse_text('{"Dhcp4":\n {"a" 1}}')


def test_trailing_commas_are_accepted_as_kea_does():
    doc = parse_text('{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24",},], "a": "x,}",}}')
    assert doc["Dhcp4"]["a"] == "x,}"


def test_debian_default_kea_config_is_refused_only_for_what_is_not_implemented():
    import os

    if not os.path.exists("/etc/kea/kea-dhcp4.conf"):
        pytest.skip("Kea's sample configuration is not installed")
    with pytest.raises(ConfigError, match="not supported yet: client-classes"):
        parse_dhcp4(load_file("/etc/kea/kea-dhcp4.conf"))


def test_a_lone_comma_is_still_invalid():
    with pytest.raises(ConfigError, match="invalid JSON"):
        parse_text('{"Dhcp4": {,}}')
