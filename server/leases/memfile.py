"""The memfile machinery shared by Memfile4 and Memfile6: a Kea 2.2-compatible CSV lease file behind an
in-memory index.

File handling follows Kea's memfile backend:
- start-up loads FILE.completed if it exists, otherwise FILE.2 then FILE.1, then FILE, replaying rows in order
  (a later row for a lease's key replaces the earlier one, a row with valid_lifetime 0 erases it);
- FILE then stays open for appending: every add/update/delete appends one full row (one write(2), no fsync)
  before the in-memory change, so a caller that gets an exception must not ACK;
- LFC (lfc_interval seconds, 0 = off) renames FILE to FILE.1, reopens FILE, compacts FILE.2 + FILE.1 into
  FILE.output (one row per lease, by address, as kea-lfc writes it), renames it FILE.completed, removes FILE.2
  and FILE.1 and renames FILE.completed to FILE.2. It runs in a daemon thread; writers wait only for the rename.
- "FILE.pid" holds the PID of the server using FILE: a second live server refuses to open it.
The row format (a Schema) and the secondary indexes (_insert/_remove) are the family's.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from server.leases.csvtext import RowError
from server.leases.lease4 import STATE_DECLINED, STATE_DEFAULT

log = logging.getLogger("lessor.leases")

SUFFIX_PREVIOUS = ".2"
SUFFIX_INPUT = ".1"
SUFFIX_OUTPUT = ".output"
SUFFIX_FINISH = ".completed"
SUFFIX_PID = ".pid"


class LeaseFileError(Exception):
    """The lease file cannot be used: I/O error, bad header, too many bad rows, or another server owns it."""


class NoSuchLease(LookupError):
    """update() of a lease that is not there."""


@dataclass(frozen=True)
class Schema:
    """One family's lease file: its header and row codec, the key of a lease, and how LFC orders its rows."""

    family: str  # "DHCPv4" / "DHCPv6", for messages
    columns: tuple[str, ...]
    header_line: bytes
    parse_header: Callable[[str], tuple[str, ...]]
    parse_row: Callable[[str, int], object]
    format_row: Callable[..., bytes]
    check_writable: Callable[[object], None]
    key: Callable[[object], Hashable]
    sort_key: Callable[[object], object]
    describe: Callable[[object], str]


def read_lease_file(schema: Schema, path: str, leases: dict, max_row_errors: int = 0) -> tuple[str, ...] | None:
    """Replay the rows of one lease file into `leases` (schema.key(lease) -> lease), Kea's way.

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
        ncolumns = len(schema.columns)
        parse_header, parse_row, key = schema.parse_header, schema.parse_row, schema.key
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
                leases.pop(key(lease), None)
            else:
                leases[key(lease)] = lease
    return columns


def read_header(schema: Schema, path: str) -> tuple[str, ...] | None:
    """The columns of a lease file's header (None when the file is missing or empty)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
            line = handle.readline().rstrip("\r\n")
    except FileNotFoundError:
        return None
    if not line:
        return None
    try:
        return schema.parse_header(line)
    except RowError as exc:
        raise LeaseFileError(f"lease file {path}: {exc}") from None


def write_lease_file(schema: Schema, path: str, leases: Iterable) -> None:
    """Write a compacted lease file (header, then one row per lease ordered by address) and fsync it."""
    format_row = schema.format_row
    rows = [schema.header_line]
    rows += [format_row(lease) for lease in sorted(leases, key=schema.sort_key)]
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


class MemfileBase:
    """The lease database of one family: `_leases` maps schema.key(lease) to the lease; subclasses keep their
    secondary indexes in _insert/_remove (called with the index lock held)."""

    schema: Schema

    def __init__(self, path: str | None, persist: bool = True, lfc_interval: int = 0, max_row_errors: int = 0):
        if persist and not path:
            raise LeaseFileError("persist is true but no lease file name was given")
        if lfc_interval < 0 or max_row_errors < 0:
            raise ValueError("lfc_interval and max_row_errors must not be negative")
        self.path = path if persist else None
        self.persist = persist
        self.lfc_interval = lfc_interval
        self.max_row_errors = max_row_errors
        self._leases: dict = {}
        self._lock = threading.Lock()  # the open lease file, and the index
        self._lfc_lock = threading.Lock()  # one LFC at a time
        self._file = None
        self._pid_fd: int | None = None
        self._stop = threading.Event()
        self._lfc_thread: threading.Thread | None = None
        self._opened = False

    # -- life cycle ----------------------------------------------------------------------------------------------
    def open(self):
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
        if columns is not None and columns != self.schema.columns:
            log.info("DHCPSRV_MEMFILE_NEEDS_CONVERSION lease file %s has an old or newer schema; rewriting it",
                     self.path)
            self.lfc()
            if read_header(self.schema, self.path) != self.schema.columns:
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

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def flush(self, fsync: bool = False) -> None:
        """Rows are handed to the kernel as they are written; fsync=True also forces them to the disk."""
        with self._lock:
            if self._file is not None and fsync:
                os.fsync(self._file.fileno())

    # -- changes ---------------------------------------------------------------------------------------------
    def add(self, lease) -> bool:
        """Store a new lease. False (and nothing written) when its key already has one, as Kea's addLease."""
        schema = self.schema
        schema.check_writable(lease)
        key = schema.key(lease)
        with self._lock:
            if key in self._leases:
                return False
            if self.persist:
                self._append(schema.format_row(lease))
            self._insert(key, lease)
        return True

    def update(self, lease) -> None:
        """Replace the stored lease with the same key; NoSuchLease when there is none."""
        schema = self.schema
        schema.check_writable(lease)
        key = schema.key(lease)
        with self._lock:
            if key not in self._leases:
                raise NoSuchLease(f"no lease for {schema.describe(lease)} to update")
            if self.persist:
                self._append(schema.format_row(lease))
            self._remove(key)
            self._insert(key, lease)

    def delete(self, lease) -> bool:
        """Remove the stored lease with the lease's key (appending its row with valid_lifetime 0). False when
        there is none."""
        schema = self.schema
        key = schema.key(lease)
        with self._lock:
            if key not in self._leases:
                return False
            if self.persist:
                self._append(schema.format_row(lease, valid_lifetime=0))
            self._remove(key)
        return True

    def wipe(self, subnet_id: int | None = None) -> int:
        """Delete every lease (of one subnet); returns how many."""
        doomed = [x for x in self._leases.values() if subnet_id is None or x.subnet_id == subnet_id]
        return sum(self.delete(x) for x in doomed)

    # -- look-ups ----------------------------------------------------------------------------------------------
    def get_by_hostname(self, hostname: str) -> list:
        wanted = hostname.lower()
        return [x for x in self._leases.values() if x.hostname.lower() == wanted]

    def all(self) -> list:
        """A snapshot list of every lease (safe to delete from while iterating)."""
        return list(self._leases.values())

    def __len__(self) -> int:
        return len(self._leases)

    def expired(self, now: int, limit: int = 0, include_declined: bool = False) -> list:
        """Leases in state 0 (and 1 with include_declined, as Kea reclaims declined ones after probation) whose
        expire < now, soonest expired first, at most `limit` of them (0 = all)."""
        states = (STATE_DEFAULT, STATE_DECLINED) if include_declined else (STATE_DEFAULT,)
        found = (x for x in self._leases.values() if x.state in states and x.cltt + x.valid_lifetime < now)
        return heapq.nsmallest(limit, found, key=_expire) if limit else sorted(found, key=_expire)

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
                leases: dict = {}
                read_lease_file(self.schema, previous, leases)
                read_lease_file(self.schema, copy, leases)
                write_lease_file(self.schema, base + SUFFIX_OUTPUT, leases.values())
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
        leases: dict = {}
        columns = None
        for source in sources:
            columns = read_lease_file(self.schema, source, leases, self.max_row_errors)
        for key, lease in leases.items():
            self._insert(key, lease)
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
                handle.write(self.schema.header_line)
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

    def _insert(self, key, lease) -> None:
        self._leases[key] = lease

    def _remove(self, key) -> None:
        del self._leases[key]

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


def _expire(lease) -> int:
    return lease.cltt + lease.valid_lifetime


def discard(index: dict, key, member) -> None:
    """Take member out of index[key], dropping the key when it has no members left."""
    members = index.get(key)
    if members is not None:
        members.pop(member, None)
        if not members:
            del index[key]
