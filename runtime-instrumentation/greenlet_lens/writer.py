"""The trace file writer: records into a buffer, chunks with CRCs onto disk.

The format is documented in docs/trace-format.md. Appends happen on the
program's thread; a raw OS thread flushes at least every FLUSH_INTERVAL so
that ``kill -9`` keeps everything older than that.

The file is private (0600) and its descriptor is kept out of the program's
way (fds.py): checked before every write and opened again by name when the
program closed it. A write that fails (a full disk, a file that is gone)
never reaches the program: the file is given up with one line on stderr,
the live stream (if any) goes on, and without one the recording ends.
"""
import json
import os
import stat
import struct
import zlib

from . import accel, compat, fds
from .encoder import make_encoder, uvarint, FLUSH_SIZE, MAX_INTERNED  # noqa: F401
# Tags and file constants, generated from the schema; other modules read them as W.T_*.
from ._schema import (  # noqa: F401
    MAGIC, VERSION, CHUNK_MARKER, T_STR, T_FRAME, T_STACK, T_SPAWN, T_SWITCH, T_THROW, T_BLOCK, T_READY,
    T_EXCEPTION, T_EXIT, T_RENAME, T_OBJECT, T_PUT, T_GET, T_QSYNC, T_SET, T_SETEXC, T_CLEAR, T_ACQUIRE,
    T_RELEASE, T_MARK, T_ERROR, T_END, T_OBSERVED,
)

FLUSH_INTERVAL = 0.05  # seconds; the contract is "at least every 100 ms"
# With a live sink, what may wait in the buffer for the flush thread before
# the program's thread writes it out itself (and waits for the debug adapter).
LIVE_BACKLOG = 16 * 1024 * 1024


def zigzag(n):
    return (n << 1) if n >= 0 else ((-n << 1) - 1)


def _preamble(header):
    """Magic, version, the JSON header and its CRC."""
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return (MAGIC + struct.pack("<HHI", VERSION[0], VERSION[1], len(head)) + head
            + struct.pack("<I", zlib.crc32(head) & 0xFFFFFFFF))


class TraceWriter(object):
    """Writes to a file, to a live connection (a debug session), or both.

    The live sink gets exactly the bytes of the file, so the adapter reads the
    stream with the same decoder as a trace file.
    """

    def __init__(self, path, header, flush_interval=FLUSH_INTERVAL, live=None):
        # Why the file was given up (None while it is written); on_failure(why)
        # is told when nothing is left to write to.
        self.on_failure = None
        self._write = compat.original("os", "write", os.write)
        self.flush_interval = flush_interval
        self._get_ident = compat.original("_thread", "get_ident", None) or __import__("_thread").get_ident
        self._bind_encoder(make_encoder(header["t0"], self._on_full, accel.core()))
        self._begin(path, header, live)

    def _begin(self, path, header, live):
        """The first trace, or a forked child's: its file opened, its header
        written, its flushing started (the lock is new: a fork may have
        happened while the parent's flush thread held it)."""
        self._fd = None
        self._ident = None
        self.file_error = None
        self._open(path)
        self.live = live
        self.closed = False
        self._flush_lock = compat.original_lock()
        self._wake = compat.original_lock()
        self._wake.acquire()  # released to wake the flush thread before its interval is up
        # Time the program's thread has spent in flush(), waiting on the disk or
        # on a debug session that reads slowly: the blocked-loop watchdog must
        # not blame the program for it.
        self._main = compat.main_thread_ident()
        self.stall_us = 0
        self.stall_since = 0
        self._fresh(header)
        self._stop = False
        compat.start_raw_thread(self._flush_loop)

    def _open(self, path):
        if path is not None:
            path = os.path.abspath(path)
            self._fd = fds.move_high(open_trace(path))
            self._ident = fds.identity(self._fd)
        self.path = path

    def _fresh(self, header):
        """A new trace's start: the encoder's buffer and interning tables
        emptied in place (the recorder's closures hold them), then the header."""
        self.enc.reset(header["t0"])
        self.errors = 0
        self._head = _preamble(header)
        self._flushed_chunks = 0
        self._emit(self._head)

    def _close_own(self):
        if self._fd is not None and fds.still_ours(self._fd, self._ident):
            try:
                os.close(self._fd)
            except OSError:
                pass

    def fork_into(self, path, header, live=None):
        """In a forked child: a new trace into path. The parent's file and the
        records it has still to flush are left to the parent; the flush
        thread and its lock are new."""
        self._stop = True
        self._close_own()
        self._begin(path, header, live)

    # -- records: the encoder's methods -------------------------------
    def _bind_encoder(self, enc):
        self.enc = enc
        self.buf = enc.buf
        # Bound once: every record the runtime writes goes through these.
        self.string = enc.string
        self.frame = enc.frame
        self.stack = enc.stack
        self.event = enc.event
        self.event2 = enc.event2
        self.observed = enc.observed
        self.named = enc.named
        self.leave_out = enc.leave_out

    @property
    def events(self):
        """Events written so far; the last one's seq is events - 1."""
        return self.enc.events

    def strings_event(self, tag, now_us, head, strings):
        """An event whose fields are head ints followed by string values."""
        ids = [self.string(s) for s in strings]
        self.event(tag, now_us, *(tuple(head) + tuple(ids)))

    # -- output ----------------------------------------------------------
    def _own_fd(self):
        """Our descriptor, opened again if the program closed it (os.closerange)."""
        if fds.still_ours(self._fd, self._ident):
            return self._fd
        self._fd = None  # its number may be the program's file now: never touched again
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | _NOFOLLOW | _CLOEXEC)
        except OSError as e:
            raise OSError(e.errno, "it was closed under the recorder and cannot be opened again (%s)"
                          % (e.strerror or e))
        if fds.identity(fd) != self._ident:
            os.close(fd)
            raise OSError(0, "it was closed under the recorder and the file of that name is another one now")
        self._fd = fds.move_high(fd)
        return self._fd

    def _write_all(self, data):
        fd = self._own_fd()
        view = memoryview(data)
        while view:
            n = self._write(fd, view)
            view = view[n:]

    def _give_up_file(self, err):
        self.file_error = "cannot write the trace %s: %s" % (self.path, getattr(err, "strerror", None) or err)
        try:
            self._write(2, ("greenlet-lens: recording stopped: %s; the program goes on\n"
                            % self.file_error).encode("utf-8", "replace"))
        except Exception:
            pass
        if self.live is None:
            self._ended()

    def _ended(self):
        callback = self.on_failure
        if callback is not None:
            try:
                callback(self.file_error or "the debug session is gone")
            except Exception:
                pass

    def retry_file(self, data):
        """One last try at a file given up (for the note and the end record:
        the disk may have room again)."""
        if self.path is None or (self._fd is None and self._ident is None):
            return
        try:
            self._write_all(data)
        except Exception:
            pass

    def _emit(self, data, last=False):
        if self._fd is not None and self.file_error is None:
            try:
                self._write_all(data)
            except OSError as e:
                self._give_up_file(e)
        elif last:
            self.retry_file(data)
        live = self.live
        if live is not None:
            try:
                live(data)
            except Exception:
                # The debug session went away; the recording goes on.
                self.live = None

    def attach_live(self, send):
        """Start streaming to send(bytes): first everything written so far (read
        back from the file), then every later chunk, with nothing lost or
        repeated in between."""
        with self._flush_lock:
            if self.file_error is not None:
                raise RuntimeError("the trace file was given up (%s): nothing to replay" % self.file_error)
            if self._fd is not None:
                fd = self._own_fd()
                offset = 0
                while True:
                    data = os.pread(fd, 1 << 20, offset)
                    if not data:
                        break
                    send(data)
                    offset += len(data)
            elif self._flushed_chunks == 0:
                send(self._head)
            else:
                raise RuntimeError("no trace file to replay to a late debug session")
            self.live = send

    def detach_live(self):
        with self._flush_lock:
            self.live = None
            if self._fd is None or self.file_error is not None:
                if not self.closed:
                    self._ended()

    def _on_full(self):
        """The encoder's buffer passed its flush size. To a file alone it is
        written out here, on the program's thread. With a live sink the flush
        thread is woken instead: a debug adapter that reads late (another
        process, on a busy machine) would otherwise stop the program in the
        socket's send; only once LIVE_BACKLOG bytes wait does the program's
        thread send them itself, and wait. Nothing is dropped either way."""
        n = len(self.buf)
        if self.live is None or n >= LIVE_BACKLOG:
            self.flush()
            return
        # The next call only after as much again (a call per record would cost
        # more than the record); the flush puts the size back.
        self.enc.flush_size = n + FLUSH_SIZE
        try:
            self._wake.release()
        except RuntimeError:
            pass  # already woken

    def flush(self, last=False):
        if self._get_ident() != self._main:
            self._flush(last)
            return
        self.stall_since = compat.monotonic_us()
        try:
            self._flush(last)
        finally:
            self.stall_us += compat.monotonic_us() - self.stall_since
            self.stall_since = 0

    def _flush(self, last):
        with self._flush_lock:
            if self.closed:
                return
            n = len(self.buf)
            if not n:
                return
            # Each record was appended with one extend(), so the first n bytes
            # end on a record boundary even while the program appends more.
            payload = bytes(self.buf[:n])
            del self.buf[:n]
            self.enc.flush_size = FLUSH_SIZE
            self._emit(chunk(payload), last)
            self._flushed_chunks += 1

    def _flush_loop(self):
        wake = self._wake
        while not self._stop:
            wake.acquire(True, self.flush_interval)
            try:
                self.flush()
            except Exception:
                # Nothing here may stop the flushing; write failures are handled in _emit.
                self.errors += 1

    def close(self):
        self._stop = True
        self.flush(last=True)
        with self._flush_lock:
            if not self.closed:
                self.closed = True
                if self._fd is not None and fds.still_ours(self._fd, self._ident):
                    os.close(self._fd)

    def rotate(self, path, header):
        """Go on in a new file with a fresh header, as a new trace (the pytest
        plugin's trace per test), opened by the same rules as the first.
        Everything is reset in place: the recorder's hot closures hold this
        writer's buffer and string table."""
        self.flush()
        with self._flush_lock:
            self._close_own()
            self._open(path)
            self._fresh(header)

    def abandon(self):
        """In a forked child: drop everything without touching the parent's file."""
        self._stop = True
        self.closed = True
        del self.buf[:]
        self.live = None
        self._close_own()


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def chunk(payload):
    return struct.pack("<BII", CHUNK_MARKER, len(payload), zlib.crc32(payload) & 0xFFFFFFFF) + payload


def open_trace(path):
    """The trace file, opened for a new recording: created 0600, or an existing
    trace (or empty file) of this user truncated and made private. Anything
    else (a file that is not a trace, another user's file, a symlink, a
    device) is refused, so a mistyped --output never destroys a file and a
    file planted by another user never receives the program's data
    (docs/security.md)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
    except OSError as e:
        if os.path.islink(path):
            raise OSError(e.errno, "%s is a symbolic link; give the trace file's own path" % path)
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, "%s is not a regular file; refusing to record into it" % path)
        if st.st_uid != os.geteuid():
            # Its owner could read the program's data in it (a file planted in /tmp, say).
            raise OSError(0, "%s belongs to another user (uid %d); refusing to record into it" % (path, st.st_uid))
        if st.st_size > 0 and os.pread(fd, len(MAGIC), 0) != MAGIC:
            raise OSError(0, "%s exists and is not a Greenlet Lens trace; refusing to overwrite it "
                             "(remove it, or record to another file)" % path)
        os.ftruncate(fd, 0)
        if st.st_mode & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd
