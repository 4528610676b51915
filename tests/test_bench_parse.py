"""The benchmark's perfdhcp report parser (bench/perfdhcp.py), on captured perfdhcp 2.2 reports (-4 and -6)."""

from __future__ import annotations

import pytest

from bench.perfdhcp import ParseError, parse_report

# `perfdhcp -4 -l 192.0.2.2 -r 12000 -R 200000 -p 5 192.0.2.1` against kea-dhcp4 2.2 (exit status 3).
SAMPLE = """\
Running: perfdhcp -4 -l 192.0.2.2 -r 12000 -R 200000 -p 5 192.0.2.1
Scenario: basic.
Multi-thread mode enabled.
***Rate statistics***
Rate: 11845.7 4-way exchanges/second, expected rate: 12000

***Malformed Packets***
Malformed packets: 0
***Statistics for: DISCOVER-OFFER***
sent packets: 59997
received packets: 59306
drops: 691
drops ratio: 1.15172 %
orphans: 0
rejected leases: 0
non unique addresses: 0

min delay: 0.027 ms
avg delay: 1.477 ms
max delay: 19.755 ms
std deviation: 1.820 ms
collected packets: 331

***Statistics for: REQUEST-ACK***
sent packets: 59306
received packets: 59245
drops: 61
drops ratio: 0.103 %
orphans: 0
rejected leases: 0
non unique addresses: 0

min delay: 0.031 ms
avg delay: 1.297 ms
max delay: 14.109 ms
std deviation: 1.611 ms
collected packets: 12

"""


def test_rate_and_both_exchanges():
    report = parse_report(SAMPLE)
    assert report.rate == pytest.approx(11845.7)
    assert set(report.exchanges) == {"DISCOVER-OFFER", "REQUEST-ACK"}
    do, ra = report.exchanges["DISCOVER-OFFER"], report.exchanges["REQUEST-ACK"]
    assert (do.sent, do.received, do.drops) == (59997, 59306, 691)
    assert do.drops_ratio == pytest.approx(1.15172)
    assert (ra.sent, ra.received, ra.drops) == (59306, 59245, 61)
    assert ra.drops_ratio == pytest.approx(0.103)
    # A step is judged by its worst exchange.
    assert report.max_drops_ratio == pytest.approx(1.15172)


def test_integer_ratio_and_missing_ratio_line():
    text = SAMPLE.replace("drops ratio: 1.15172 %", "drops ratio: 0 %").replace("drops ratio: 0.103 %\n", "")
    report = parse_report(text)
    assert report.exchanges["DISCOVER-OFFER"].drops_ratio == 0
    # Without the ratio line it is computed from drops and sent.
    assert report.exchanges["REQUEST-ACK"].drops_ratio == pytest.approx(100 * 61 / 59306)


def test_not_a_report():
    with pytest.raises(ParseError):
        parse_report("Error running perfdhcp: failed to bind socket\n")
    # Nothing sent counts as everything dropped, never as a clean step.
    assert parse_report("Rate: 0 4-way exchanges/second, expected rate: 100\n").max_drops_ratio == 100.0


# `perfdhcp -6 -l vbench-tester -r 10000 -R 200000 -p 3` against kea-dhcp6 2.2 (exit status 3).
SAMPLE_V6 = """\
Running: perfdhcp -6 -l vbench-tester -r 10000 -R 200000 -p 3
Scenario: basic.
Multi-thread mode enabled.
***Rate statistics***
Rate: 9994.99 4-way exchanges/second, expected rate: 10000

***Malformed Packets***
Malformed packets: 0
***Statistics for: SOLICIT-ADVERTISE***
sent packets: 29998
received packets: 29998
drops: 0
drops ratio: 0 %
orphans: 0
rejected leases: 0
non unique addresses: 0

min delay: 0.022 ms
avg delay: 0.470 ms
max delay: 11.211 ms
std deviation: 1.169 ms
collected packets: 0

***Statistics for: REQUEST-REPLY***
sent packets: 29998
received packets: 29997
drops: 1
drops ratio: 0.003 %
orphans: 0
rejected leases: 0
non unique addresses: 0

min delay: 0.027 ms
avg delay: 0.244 ms
max delay: 11.393 ms
std deviation: 0.817 ms
collected packets: 0

"""


def test_v6_report():
    report = parse_report(SAMPLE_V6)
    assert report.rate == pytest.approx(9994.99)
    assert list(report.exchanges) == ["SOLICIT-ADVERTISE", "REQUEST-REPLY"]
    sa, rr = report.exchanges["SOLICIT-ADVERTISE"], report.exchanges["REQUEST-REPLY"]
    assert (sa.sent, sa.received, sa.drops, sa.drops_ratio) == (29998, 29998, 0, 0)
    assert (rr.sent, rr.received, rr.drops) == (29998, 29997, 1)
    assert report.max_drops_ratio == pytest.approx(0.003)
