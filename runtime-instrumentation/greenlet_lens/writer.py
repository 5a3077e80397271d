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

from . import compat, fds
# Tags and file constants, generated from the schema; other modules read them as W.T_*.
from ._schema import (  # noqa: F401
    MAGIC, VERSION, CHUNK_MARKER, T_STR, T_FRAME, T_STACK, T_SPAWN, T_SWITCH, T_THROW, T_BLOCK, T_READY,
    T_EXCEPTION, T_EXIT, T_RENAME, T_OBJECT, T_PUT, T_GET, T_QSYNC, T_SET, T_SETEXC, T_CLEAR, T_ACQUIRE,
    T_RELEASE, T_MARK, T_ERROR, T_END, T_OBSERVED,
)

FLUSH_INTERVAL = 0.05  # seconds; the contract is "at least every 100 ms"
FLUSH_SIZE = 64 * 1024
# Interning item reprs saves bytes when the same values cycle through queues;
# past this many strings new ones are written but not remembered, bounding memory.
MAX_INTERNED = 200_000


# Packers for records whose every byte is known to be below 256: appending a
# bytes object is cheaper than appending a tuple of ints.
PACK4, PACK5, PACK6, PACK8, PACK12 = (struct.Struct("%dB" % n).pack for n in (4, 5, 6, 8, 12))


def uvarint(n, out):
    """Append n as LEB128 to the bytearray out."""
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


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
        self._fd = None
        self._ident = None
        # Why the file was given up (None while it is written); on_failure(why)
        # is told when nothing is left to write to.
        self.file_error = None
        self.on_failure = None
        if path is not None:
            path = os.path.abspath(path)
            self._fd = fds.move_high(open_trace(path))
            self._ident = fds.identity(self._fd)
        self._write = compat.original("os", "write", os.write)
        self.path = path
        self.live = live
        self.flush_interval = flush_interval
        self.buf = bytearray()
        self.events = 0  # events written so far; the last one's seq is events - 1
        self.errors = 0
        self.closed = False
        self._strings = {"": 0}
        self._nstrings = 0
        self._frames = {}
        self._nframes = 0
        self._stacks = {}
        self._nstacks = 0
        self._last_us = header["t0"]
        self._flush_lock = compat.original_lock()
        # Time the program's thread has spent in flush(), waiting on the disk or
        # on a debug session that reads slowly: the blocked-loop watchdog must
        # not blame the program for it.
        self._main = compat.main_thread_ident()
        self._get_ident = compat.original("_thread", "get_ident", None) or __import__("_thread").get_ident
        self.stall_us = 0
        self.stall_since = 0
        self._head = _preamble(header)
        self._flushed_chunks = 0
        self._emit(self._head)
        self._stop = False
        compat.start_raw_thread(self._flush_loop)

    # -- interning -------------------------------------------------------
    def string(self, s):
        """The id of s, defining it first if it is new."""
        sid = self._strings.get(s)
        if sid is not None:
            return sid
        data = s.encode("utf-8", "replace")
        rec = bytearray((T_STR,))
        uvarint(len(data), rec)
        rec += data
        self.buf.extend(rec)
        self._nstrings += 1
        if len(self._strings) < MAX_INTERNED:
            self._strings[s] = self._nstrings
        return self._nstrings

    def frame(self, filename, line, function):
        key = (filename, line, function)
        fid = self._frames.get(key)
        if fid is not None:
            return fid
        f, fn = self.string(filename), self.string(function)
        rec = bytearray((T_FRAME,))
        uvarint(f, rec)
        uvarint(line, rec)
        uvarint(fn, rec)
        self.buf.extend(rec)
        self._nframes += 1
        self._frames[key] = self._nframes
        return self._nframes

    def stack(self, frame_ids):
        """frame_ids: a tuple of frame ids, innermost first."""
        if not frame_ids:
            return 0
        kid = self._stacks.get(frame_ids)
        if kid is not None:
            return kid
        rec = bytearray((T_STACK,))
        uvarint(len(frame_ids), rec)
        for fid in frame_ids:
            uvarint(fid, rec)
        self.buf.extend(rec)
        self._nstacks += 1
        self._stacks[frame_ids] = self._nstacks
        return self._nstacks

    # -- events ----------------------------------------------------------
    def event(self, tag, now_us, *fields):
        """One event record; fields are unsigned ints (string/frame ids included)."""
        dt = now_us - self._last_us
        if dt < 0:
            dt = 0
        self._last_us = now_us
        if dt < 0x80 and (not fields or max(fields) < 0x80):
            # Every field fits in a byte (most block records): no encoding loop.
            self.buf.extend((tag, dt) + fields)
            self.events += 1
            if len(self.buf) > FLUSH_SIZE:
                self.flush()
            return
        rec = bytearray((tag,))
        uvarint(dt, rec)
        for v in fields:
            if v < 0x80:
                rec.append(v)
            else:
                uvarint(v, rec)
        self.buf.extend(rec)
        self.events += 1
        if len(self.buf) > FLUSH_SIZE:
            self.flush()

    def event2(self, tag, now_us, a, b):
        """event() for two fields (switch, ready, put, get), without the generic
        loop: most of these fit in four bytes."""
        dt = now_us - self._last_us
        if dt < 0:
            dt = 0
        self._last_us = now_us
        if dt < 0x80 and a < 0x80 and b < 0x80:
            self.buf.extend(PACK4(tag, dt, a, b))
        else:
            rec = bytearray((tag,))
            uvarint(dt, rec)
            uvarint(a, rec)
            uvarint(b, rec)
            self.buf.extend(rec)
        self.events += 1
        if len(self.buf) > FLUSH_SIZE:
            self.flush()

    def observed(self, g, by, how):
        """An `observed` record, an extension record: a length instead of a dt
        (its time is the last event's), so the clock is not touched."""
        body = bytearray()
        uvarint(g, body)
        uvarint(by, body)
        uvarint(how, body)
        self.buf.extend(bytes((T_OBSERVED, len(body))) + body)
        self.events += 1
        if len(self.buf) > FLUSH_SIZE:
            self.flush()

    def leave_out(self, us):
        """Leaves `us` microseconds out of the times of later events: the time a
        debug session spent stopped, which is the user's, not the program's
        (else a greenlet paused at a breakpoint for a minute shows running for
        one). Events carry time deltas, so moving the last time on is enough."""
        if us > 0:
            self._last_us += us

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
            self._emit(chunk(payload), last)
            self._flushed_chunks += 1

    def _flush_loop(self):
        sleep = compat.original_sleep()
        while not self._stop:
            sleep(self.flush_interval)
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
            if self._fd is not None and fds.still_ours(self._fd, self._ident):
                os.close(self._fd)
            path = os.path.abspath(path)
            self._fd = fds.move_high(open_trace(path))
            self._ident = fds.identity(self._fd)
            self.path = path
            del self.buf[:]
            self.events = 0
            self.errors = 0
            self._strings.clear()
            self._strings[""] = 0
            self._nstrings = 0
            self._frames.clear()
            self._nframes = 0
            self._stacks.clear()
            self._nstacks = 0
            self._last_us = header["t0"]
            self._head = _preamble(header)
            self._flushed_chunks = 0
            self._emit(self._head)

    def abandon(self):
        """In a forked child: drop everything without touching the parent's file."""
        self._stop = True
        self.closed = True
        self.buf = bytearray()
        self.live = None
        try:
            if self._fd is not None and fds.still_ours(self._fd, self._ident):
                os.close(self._fd)
        except OSError:
            pass


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def chunk(payload):
    return struct.pack("<BII", CHUNK_MARKER, len(payload), zlib.crc32(payload) & 0xFFFFFFFF) + payload


def open_trace(path):
    """The trace file, opened for a new recording: created 0600, or an existing
    trace (or empty file) truncated and made private. Anything else (a file
    that is not a trace, a symlink, a device) is refused, so a mistyped
    --output never destroys a file (docs/security.md)."""
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
        if st.st_size > 0 and os.pread(fd, len(MAGIC), 0) != MAGIC:
            raise OSError(0, "%s exists and is not a Greenlet Lens trace; refusing to overwrite it "
                             "(remove it, or record to another file)" % path)
        os.ftruncate(fd, 0)
        if st.st_mode & 0o077 and st.st_uid == os.geteuid():
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd
