"""Lease storage: the Lease4 and Lease6 records and Memfile4/Memfile6, Kea 2.2-compatible memfile (CSV) lease
databases sharing server.leases.memfile."""

from server.leases.lease4 import STATE_DECLINED, STATE_DEFAULT, STATE_EXPIRED_RECLAIMED, Lease4
from server.leases.lease6 import TYPE_NA, TYPE_PD, TYPE_TA, Lease6
from server.leases.memfile import LeaseFileError, NoSuchLease
from server.leases.memfile4 import Memfile4
from server.leases.memfile6 import Memfile6

__all__ = ["STATE_DECLINED", "STATE_DEFAULT", "STATE_EXPIRED_RECLAIMED", "TYPE_NA", "TYPE_PD", "TYPE_TA", "Lease4",
           "Lease6", "LeaseFileError", "Memfile4", "Memfile6", "NoSuchLease"]
