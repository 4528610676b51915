"""Kea memfile replay: the last row for an address wins, valid_lifetime 0 erases it."""

from forge.leases import parse_kea_memfile

V4 = """address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context
192.0.2.10,02:00:00:00:00:01,01:02,4000,1800000000,1,0,0,a&#x2cb,0,
192.0.2.11,02:00:00:00:00:02,,4000,1800000000,1,0,0,,0,
192.0.2.10,02:00:00:00:00:01,01:02,4000,1800000100,1,0,0,,1,
192.0.2.11,02:00:00:00:00:02,,0,1800000000,1,0,0,,0,
"""

V6 = ("address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,"
      "hostname,hwaddr,state,user_context,hwtype,hwaddr_source\n"
      "2001:db8:8000::,00:03:00:01:02:00:00:00:00:01,4000,1800000000,1,3000,2,9,56,0,0,,,0,,,\n")


def test_v4_replay():
    [lease] = parse_kea_memfile(V4)
    assert lease.address == "192.0.2.10" and lease.state == 1 and lease.expire == 1800000100


def test_v6_prefix():
    [lease] = parse_kea_memfile(V6)
    assert lease.lease_type == "PD" and lease.prefix_len == 56 and lease.iaid == 9
