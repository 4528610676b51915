"""Lease storage: the Lease4 record and Memfile4, a Kea 2.2-compatible memfile (CSV) lease database."""

from server.leases.lease4 import STATE_DECLINED, STATE_DEFAULT, STATE_EXPIRED_RECLAIMED, Lease4
from server.leases.memfile4 import LeaseFileError, Memfile4

__all__ = ["STATE_DECLINED", "STATE_DEFAULT", "STATE_EXPIRED_RECLAIMED", "Lease4", "LeaseFileError", "Memfile4"]
