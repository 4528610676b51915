"""Memfile4: the in-memory DHCPv4 lease database backed by a Kea 2.2-compatible CSV lease file.

File handling follows Kea's memfile backend:
- start-up loads FILE.completed if it exists, otherwise FILE.2 then FILE.1, then FILE, replaying rows in order
  (a later row for an address replaces the earlier one, a row with valid_lifetime 0 erases it);
- FILE then stays open for appending: every add/update/delete appends one full row (one write(2), no fsync)
  before the in-memory change, so a caller that gets an exception must not ACK;
- LFC (lfc_interval seconds, 0 = off) renames FILE to FILE.1, reopens FILE, compacts FILE.2 + FILE.1 into
  FILE.output (one row per lease, by address, as kea-lfc writes it), renames it FILE.completed, removes FILE.2
  and FILE.1 and renames FILE.completed to FILE.2. It runs in a daemon thread; writers wait only for the rename.
- "FILE.pid" holds the PID of the server using FILE: a second live server refuses to open it.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
from collections.abc import Iterable

from server.leases.csv4 import (
    COLUMNS,
    HEADER_LINE,
    RowError,
    address_text,
    check_writable,
    format_row,
    parse_header,
    parse_row,
)
from server.leases.lease4 import STATE_DECLINED, STATE_DEFAULT, Lease4

log = logging.getLogger("lessor.leases")

SUFFIX_PREVIOUS = ".2"
SUFFIX_INPUT = ".1"
SUFFIX_OUTPUT = ".output"
SUFFIX_FINISH = ".completed"
SUFFIX_PID = ".pid"


class LeaseFileError(Exception):
    """The lease file cannot be used: I/O error, bad header, too many bad rows, or another server owns it."""


class NoSuchLease(LookupError):
    """update() of an address that has no lease."""


def read_lease_file(path: str, leases: dict[int, Lease4], max_row_errors: int = 0) -> tuple[str, ...] | None:
    """Replay the rows of one lease file into `leases` (address -> Lease4), Kea's way.

    Returns the header's columns, or None when the file is missing or empty. Malformed rows are skipped with a
    warning naming the line; more than max_row_errors of them (0 = no limit) or a bad header raise LeaseFileError.
    """
    try:
        handle = open(path, encoding="utf-8", errors="surrogateescape", newline="")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LeaseFileError(f"cannot read lease file {path}: {exc.strerror}") from None
    errors = 0
    with handle:
        columns = None
        ncolumns = len(COLUMNS)
        for lineno, raw in enumerate(handle, 1):
            line = raw.rstrip("\r\n")
            if columns is None:
                try:
                    columns = parse_header(line)
                except RowError as exc:
                    raise LeaseFileError(f"lease file {path}: {exc}") from None
                ncolumns = len(columns)
                continue
            if not line:
                continue
            try:
                lease = parse_row(line, ncolumns)
            except RowError as exc:
                errors += 1
                log.warning("DHCPSRV_MEMFILE_READ_ERROR lease file %s line %d skipped: %s", path, lineno, exc)
                if max_row_errors and errors > max_row_errors:
                    raise LeaseFileError(f"lease file {path}: more than {max_row_errors} malformed rows "
                                         f"(the last at line {lineno}: {exc})") from None
                continue
            if lease.valid_lifetime == 0:
                leases.pop(lease.address, None)
            else:
                leases[lease.address] = lease
    return columns


def read_header(path: str) -> tuple[str, ...] | None:
    """The columns of a lease file's header (None when the file is missing or empty)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
            line = handle.readline().rstrip("\r\n")
    except FileNotFoundError:
        return None
    if not line:
        return None
    try:
        return parse_header(line)
    except RowError as exc:
        raise LeaseFileError(f"lease file {path}: {exc}") from None


def write_lease_file(path: str, leases: Iterable[Lease4]) -> None:
    """Write a compacted lease file (header, then one row per lease ordered by address) and fsync it."""
    rows = [HEADER_LINE]
    rows += [format_row(lease) for lease in sorted(leases, key=lambda x: x.address)]
    with open(path, "wb") as out:
        out.write(b"".join(rows))
        out.flush()
        os.fsync(out.fileno())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: str) -> int | None:
    try:
        with open(path) as handle:
            text = handle.read(64).strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else 0


class Memfile4:
    """The lease database. Lookups are dict look-ups: by address, by (hwaddr, subnet), by (client-id, subnet)."""

    def __init__(self, path: str | None, persist: bool = True, lfc_interval: int = 0, max_row_errors: int = 0):
        if persist and not path:
            raise LeaseFileError("persist is true but no lease file name was given")
        if lfc_interval < 0 or max_row_errors < 0:
            raise ValueError("lfc_interval and max_row_errors must not be negative")
        self.path = path if persist else None
        self.persist = persist
        self.lfc_interval = lfc_interval
        self.max_row_errors = max_row_errors
        self._leases: dict[int, Lease4] = {}
        self._keys: dict[int, tuple[tuple[bytes, int], tuple[bytes, int] | None, tuple[int, int]]] = {}
        self._by_hwaddr: dict[tuple[bytes, int], dict[int, None]] = {}
        self._by_client_id: dict[tuple[bytes, int], dict[int, None]] = {}
        self._counts: dict[tuple[int, int], int] = {}  # (subnet_id, state) -> leases
        self._lock = threading.Lock()  # the open lease file, and the index
        self._lfc_lock = threading.Lock()  # one LFC at a time
        self._file = None
        self._pid_fd: int | None = None
        self._stop = threading.Event()
        self._lfc_thread: threading.Thread | None = None
        self._opened = False

    # -- life cycle ----------------------------------------------------------------------------------------------
    def open(self) -> Memfile4:
        if self._opened:
            raise LeaseFileError(f"lease database {self.path or '(memory)'} is already open")
        if not self.persist:
            self._opened = True
            return self
        self._lock_pid()
        try:
            columns = self._load()
            self._file = self._open_append()
        except BaseException:
            self._unlock_pid()
            raise
        self._opened = True
        if columns is not None and columns != COLUMNS:
            log.info("DHCPSRV_MEMFILE_NEEDS_CONVERSION lease file %s has an old or newer schema; rewriting it",
                     self.path)
            self.lfc()
            if read_header(self.path) != COLUMNS:
                self.lfc()  # the first run only finished an interrupted one and left FILE alone
        if self.lfc_interval:
            self._stop.clear()
            self._lfc_thread = threading.Thread(target=self._lfc_loop, name="lessor-lfc", daemon=True)
            self._lfc_thread.start()
        return self

    def close(self) -> None:
        """Stop LFC (waiting for a running one), close the lease file and release the PID file."""
        self._stop.set()
        thread, self._lfc_thread = self._lfc_thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
        self._unlock_pid()
        self._opened = False

    def __enter__(self) -> Memfile4:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def flush(self, fsync: bool = False) -> None:
        """Rows are handed to the kernel as they are written; fsync=True also forces them to the disk."""
        with self._lock:
            if self._file is not None and fsync:
                os.fsync(self._file.fileno())

    # -- changes ---------------------------------------------------------------------------------------------
    def add(self, lease: Lease4) -> bool:
        """Store a new lease. False (and nothing written) when the address already has one, as Kea's addLease."""
        check_writable(lease)
        with self._lock:
            if lease.address in self._leases:
                return False
            if self.persist:
                self._append(format_row(lease))
            self._insert(lease)
        return True

    def update(self, lease: Lease4) -> None:
        """Replace the lease of lease.address; NoSuchLease when there is none."""
        check_writable(lease)
        with self._lock:
            if lease.address not in self._leases:
                raise NoSuchLease(f"no lease for {address_text(lease.address)} to update")
            if self.persist:
                self._append(format_row(lease))
            self._remove(lease.address)
            self._insert(lease)

    def delete(self, lease: Lease4) -> bool:
        """Remove the lease of lease.address (appending its row with valid_lifetime 0). False when none."""
        with self._lock:
            if lease.address not in self._leases:
                return False
            if self.persist:
                self._append(format_row(lease, valid_lifetime=0))
            self._remove(lease.address)
        return True

    def wipe(self, subnet_id: int | None = None) -> int:
        """Delete every lease (of one subnet); returns how many."""
        doomed = [x for x in self._leases.values() if subnet_id is None or x.subnet_id == subnet_id]
        return sum(self.delete(x) for x in doomed)

    # -- look-ups ----------------------------------------------------------------------------------------------
    def get(self, address: int) -> Lease4 | None:
        return self._leases.get(address)

    def get_by_hwaddr(self, hwaddr: bytes, subnet_id: int | None = None) -> list[Lease4]:
        """Leases of a hardware address in one subnet (dict look-up), or in every subnet when subnet_id is None."""
        if subnet_id is None:
            return [x for x in self._leases.values() if x.hwaddr == hwaddr]
        leases = self._leases
        return [leases[a] for a in self._by_hwaddr.get((hwaddr, subnet_id), ())]

    def get_by_client_id(self, client_id: bytes, subnet_id: int | None = None) -> list[Lease4]:
        if subnet_id is None:
            return [x for x in self._leases.values() if x.client_id == client_id]
        leases = self._leases
        return [leases[a] for a in self._by_client_id.get((client_id, subnet_id), ())]

    def get_by_hostname(self, hostname: str) -> list[Lease4]:
        wanted = hostname.lower()
        return [x for x in self._leases.values() if x.hostname.lower() == wanted]

    def all(self) -> list[Lease4]:
        """A snapshot list of every lease (safe to delete from while iterating)."""
        return list(self._leases.values())

    def __len__(self) -> int:
        return len(self._leases)

    def expired(self, now: int, limit: int = 0, include_declined: bool = False) -> list[Lease4]:
        """Leases in state 0 (and 1 with include_declined, as Kea reclaims declined ones after probation) whose
        expire < now, soonest expired first, at most `limit` of them (0 = all)."""
        states = (STATE_DEFAULT, STATE_DECLINED) if include_declined else (STATE_DEFAULT,)
        found = (x for x in self._leases.values() if x.state in states and x.cltt + x.valid_lifetime < now)
        key = Lease4.expire.fget
        return heapq.nsmallest(limit, found, key=key) if limit else sorted(found, key=key)

    def count(self, subnet_id: int, state: int = STATE_DEFAULT) -> int:
        """Leases of the subnet in that state (Kea's assigned-addresses counts state 0, expired or not)."""
        return self._counts.get((subnet_id, state), 0)

    # -- LFC ---------------------------------------------------------------------------------------------------
    def lfc(self) -> bool:
        """Run one lease file cleanup now (the caller waits; writers only wait for the rename). False if off."""
        if not self.persist or not self._opened:
            return False
        base = self.path
        with self._lfc_lock:
            finish, copy, previous = base + SUFFIX_FINISH, base + SUFFIX_INPUT, base + SUFFIX_PREVIOUS
            with self._lock:
                if not os.path.exists(finish) and not os.path.exists(copy):
                    self._file.close()
                    self._file = None
                    try:
                        os.rename(base, copy)
                    except OSError as exc:
                        log.error("DHCPSRV_MEMFILE_LFC_LEASE_FILE_RENAME_FAIL %s -> %s: %s", base, copy, exc.strerror)
                        self._file = self._open_append()
                        return False
                    self._file = self._open_append()
            if not os.path.exists(finish):
                leases: dict[int, Lease4] = {}
                read_lease_file(previous, leases)
                read_lease_file(copy, leases)
                write_lease_file(base + SUFFIX_OUTPUT, leases.values())
                os.rename(base + SUFFIX_OUTPUT, finish)
            for name in (previous, copy):
                try:
                    os.unlink(name)
                except FileNotFoundError:
                    pass
            os.rename(finish, previous)
        log.info("DHCPSRV_MEMFILE_LFC_EXECUTE lease file %s cleaned up", base)
        return True

    def _lfc_loop(self) -> None:
        while not self._stop.wait(self.lfc_interval):
            try:
                self.lfc()
            except (OSError, LeaseFileError) as exc:
                log.error("DHCPSRV_MEMFILE_LFC_FAILED lease file cleanup of %s failed: %s", self.path, exc)

    # -- internals ---------------------------------------------------------------------------------------------
    def _load(self) -> tuple[str, ...] | None:
        base = self.path
        if os.path.exists(base + SUFFIX_FINISH):
            sources = (base + SUFFIX_FINISH, base)
        else:
            sources = (base + SUFFIX_PREVIOUS, base + SUFFIX_INPUT, base)
        leases: dict[int, Lease4] = {}
        columns = None
        for source in sources:
            columns = read_lease_file(source, leases, self.max_row_errors)
        for lease in leases.values():
            self._insert(lease)
        log.info("DHCPSRV_MEMFILE_LEASES_LOADED %d lease(s) loaded from %s", len(leases), base)
        return columns

    def _open_append(self):
        """Open FILE for appending (unbuffered: a row is one write(2)), writing the header to a new/empty file."""
        try:
            handle = open(self.path, "ab", buffering=0)
        except OSError as exc:
            raise LeaseFileError(f"cannot open lease file {self.path}: {exc.strerror}") from None
        try:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                handle.write(HEADER_LINE)
            else:
                with open(self.path, "rb") as reader:
                    reader.seek(size - 1)
                    if reader.read(1) != b"\n":  # a row cut short by a crash: do not glue the next row to it
                        handle.write(b"\n")
        except OSError as exc:
            handle.close()
            raise LeaseFileError(f"cannot write lease file {self.path}: {exc.strerror}") from None
        return handle

    def _append(self, row: bytes) -> None:
        handle = self._file
        if handle is None:
            raise LeaseFileError(f"lease file {self.path} is not open")
        try:
            written = handle.write(row)
            while written < len(row):  # only on a short write (disk full or a signal)
                written += handle.write(row[written:])
        except OSError as exc:
            raise LeaseFileError(f"cannot write lease file {self.path}: {exc.strerror}") from None

    def _insert(self, lease: Lease4) -> None:
        address = lease.address
        self._leases[address] = lease
        hw_key = (lease.hwaddr, lease.subnet_id)
        self._by_hwaddr.setdefault(hw_key, {})[address] = None
        cid_key = None
        if lease.client_id:
            cid_key = (lease.client_id, lease.subnet_id)
            self._by_client_id.setdefault(cid_key, {})[address] = None
        count_key = (lease.subnet_id, lease.state)
        self._counts[count_key] = self._counts.get(count_key, 0) + 1
        self._keys[address] = (hw_key, cid_key, count_key)

    def _remove(self, address: int) -> None:
        del self._leases[address]
        hw_key, cid_key, count_key = self._keys.pop(address)
        _discard(self._by_hwaddr, hw_key, address)
        if cid_key is not None:
            _discard(self._by_client_id, cid_key, address)
        self._counts[count_key] -= 1

    def _lock_pid(self) -> None:
        """Create FILE.pid holding our PID, atomically (written aside, then hard-linked into place)."""
        pid_path = self.path + SUFFIX_PID
        pid = os.getpid()
        for _attempt in range(5):
            tmp = f"{pid_path}.{pid}.{id(self):x}.tmp"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            except OSError as exc:
                raise LeaseFileError(f"cannot create PID file {pid_path}: {exc.strerror}") from None
            try:
                os.write(fd, f"{pid}\n".encode())
                os.link(tmp, pid_path)
            except FileExistsError:
                os.close(fd)
                os.unlink(tmp)
                other = _read_pid(pid_path)
                if other and other != pid and _pid_alive(other):
                    raise LeaseFileError(f"another server (PID {other}) uses {self.path}") from None
                if other is not None:
                    log.info("DHCPSRV_MEMFILE_PID_STALE replacing the PID file %s (PID %s)", pid_path, other)
                    try:
                        os.unlink(pid_path)
                    except FileNotFoundError:
                        pass
                continue
            except OSError as exc:
                os.close(fd)
                os.unlink(tmp)
                raise LeaseFileError(f"cannot create PID file {pid_path}: {exc.strerror}") from None
            os.unlink(tmp)
            self._pid_fd = fd  # kept open: its inode identifies our PID file until we remove it
            return
        raise LeaseFileError(f"cannot take the PID file {pid_path}: it keeps changing")

    def _unlock_pid(self) -> None:
        fd, self._pid_fd = self._pid_fd, None
        if fd is None:
            return
        pid_path = self.path + SUFFIX_PID
        try:
            mine, current = os.fstat(fd), os.stat(pid_path)
            if (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino):
                os.unlink(pid_path)
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)


def _discard(index: dict, key, address: int) -> None:
    members = index.get(key)
    if members is not None:
        members.pop(address, None)
        if not members:
            del index[key]
