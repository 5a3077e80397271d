"""Record encoding: the writer's one narrow interface for appending records.

Every record reaches the trace through an encoder's methods (``string``,
``frame``, ``stack``, ``event``, ``event2``, ``block_switch``,
``ready_switch``, ``item``). ``PyEncoder`` is the pure-Python one; the compiled
core (``_core.c``) has an ``Encoder`` type with the same constructor,
attributes and methods, and ``make_encoder`` picks it when the core is loaded.
Both write the same bytes; ``frame``, ``stack``, ``observed``, ``named`` and
``reset`` (rare) are written once, here, for both.

Each method appends whole records, so a flush from another thread (which
takes the bytes present) always ends on a record boundary. When the buffer
passes ``flush_size``, ``on_full()`` is called (the writer's flush).
"""
from ._schema import T_STR, T_FRAME, T_STACK, T_BLOCK, T_READY, T_OBSERVED, T_NAMED

# Interning item reprs saves bytes when the same values cycle through queues;
# past this many strings new ones are written but not remembered, bounding memory.
MAX_INTERNED = 200_000
FLUSH_SIZE = 64 * 1024


def uvarint(n, out):
    """Append n as LEB128 to the bytearray out."""
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


class SharedRecords(object):
    """What both encoders do alike, written once: FRAME and STACK definitions
    (interned), the rare extension records, and starting afresh."""

    def _init_tables(self):
        self._frames = {}
        self._nframes = 0
        self._stacks = {}
        self._nstacks = 0

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

    def observed(self, g, by, how):
        """An `observed` record."""
        self._extension(T_OBSERVED, (g, by, how))

    def named(self, obj, name_id):
        """A `named` record: the program's name (a string id) for object obj."""
        self._extension(T_NAMED, (obj, name_id))

    def _extension(self, tag, fields):
        """An extension record: a length instead of a dt (its time is the last
        event's), so the clock is not touched."""
        body = bytearray()
        for v in fields:
            uvarint(v, body)
        rec = bytearray((tag,))
        uvarint(len(body), rec)
        self.buf.extend(rec + body)
        self.events += 1
        if len(self.buf) > self.flush_size:
            self.on_full()

    def reset(self, last_us):
        """Start afresh for a new trace, in place (the tracer holds this encoder)."""
        del self.buf[:]
        self.events = 0
        self.nstrings = 0
        self.strings.clear()
        self.strings[""] = 0
        self.last_us = last_us
        self._init_tables()


class PyEncoder(SharedRecords):
    """The pure-Python encoder (the compiled one is ``_core.Encoder``)."""

    def __init__(self, last_us, on_full, flush_size=FLUSH_SIZE, max_interned=MAX_INTERNED):
        self.buf = bytearray()
        self.last_us = last_us
        self.events = 0  # events written so far; the last one's seq is events - 1
        self.nstrings = 0
        self.strings = {"": 0}
        self.on_full = on_full
        self.flush_size = flush_size
        self.max_interned = max_interned
        self._init_tables()

    def string(self, s):
        """The id of s, defining it first if it is new."""
        sid = self.strings.get(s)
        if sid is not None:
            return sid
        data = s.encode("utf-8", "replace")
        rec = bytearray((T_STR,))
        uvarint(len(data), rec)
        rec += data
        self.buf.extend(rec)
        self.nstrings += 1
        if len(self.strings) < self.max_interned:
            self.strings[s] = self.nstrings
        return self.nstrings

    def _head(self, tag, now_us):
        dt = now_us - self.last_us
        self.last_us = now_us
        rec = bytearray((tag,))
        uvarint(dt if dt > 0 else 0, rec)
        return rec

    def _done(self, rec, n):
        self.buf.extend(rec)
        self.events += n
        if len(self.buf) > self.flush_size:
            self.on_full()

    def event(self, tag, now_us, *fields):
        """One event record; fields are unsigned ints (string/frame ids included)."""
        rec = self._head(tag, now_us)
        for v in fields:
            uvarint(v, rec)
        self._done(rec, 1)

    def event2(self, tag, now_us, a, b):
        """event() for two fields (switch, ready, put, get)."""
        rec = self._head(tag, now_us)
        uvarint(a, rec)
        uvarint(b, rec)
        self._done(rec, 1)

    def block_switch(self, now_us, g, reason, obj, timeout, site, stack, tag, to):
        """A block of g and its switch (tag) to the hub `to`: the two records of one switch."""
        rec = self._head(T_BLOCK, now_us)
        for v in (g, reason, obj, timeout, site, stack):
            uvarint(v, rec)
        rec.append(tag)
        rec.append(0)
        uvarint(g, rec)
        uvarint(to, rec)
        self._done(rec, 2)

    def ready_switch(self, now_us, g, by, tag, origin):
        """g made ready by `by`, then the switch (tag) from origin into g."""
        rec = self._head(T_READY, now_us)
        uvarint(g, rec)
        uvarint(by, rec)
        rec.append(tag)
        rec.append(0)
        uvarint(origin, rec)
        uvarint(g, rec)
        self._done(rec, 2)

    def item(self, tag, now_us, obj, text):
        """A put or get of the item whose text is `text` (defined first if new)."""
        self.event2(tag, now_us, obj, self.string(text))

    def leave_out(self, us):
        """Leaves `us` microseconds out of the times of later events: the time a
        debug session spent stopped, which is the user's, not the program's
        (else a greenlet paused at a breakpoint for a minute shows running for
        one). Events carry time deltas, so moving the last time on is enough."""
        if us > 0:
            self.last_us += us


_compiled_class = None


def make_encoder(last_us, on_full, core=None):
    """The compiled encoder when the core (accel.core()) is given, else the pure one."""
    global _compiled_class
    if core is None:
        return PyEncoder(last_us, on_full)
    if _compiled_class is None or _compiled_class.__bases__[0] is not core.Encoder:
        class CEncoder(core.Encoder, SharedRecords):
            def __init__(self, *args):
                self._init_tables()
        _compiled_class = CEncoder
    return _compiled_class(last_us, on_full, FLUSH_SIZE, MAX_INTERNED)
