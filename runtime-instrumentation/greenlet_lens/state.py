"""The switch tracer's state, in one object.

Everything the per-switch path reads or writes lives here, so that the
compiled core (``_core.c``'s ``SwitchState``, the same attributes as C
fields) and this pure-Python one are interchangeable: the Recorder holds one
of them as ``rec.state`` and reads its scalars through properties.

Scalars (written by the tracer, read by the debugger and the watchdog):
  enabled         recording is on (False once the file failed or the program forked)
  switches        switches recorded so far
  current         the running greenlet's id
  last_switch_us  when the last switch was recorded (monotonic µs)
  switch_hook     a debug session's callback after each switch, or None
  hook_all        switch_hook is called at every switch; when False only at
                  a throw and at a switch into hook_target (``hook_wanted``)
  hook_target     the greenlet id a run-to waits for, or 0
  prev_tracer     the greenlet tracer that was set before ours (chained), or None

Containers (shared by reference with the Recorder, never replaced):
  ids             id(greenlet) -> greenlet id (registry.IdMap.ids)
  objects         id(object) -> object id (0 for gevent's own objects)
  hubs            ids of hub greenlets
  blocked         greenlet id -> object id (0 if none) while it waits
  block_reasons   greenlet id -> block reason of its last wait
  waiters         object id -> [greenlet id] waiting for a set() of it
  last_waker      object id -> the greenlet that last changed it
  started         greenlets that have run
  unnamed         plain greenlets whose function is not known yet

Callbacks (``bind``): the encoder, the WaitInspector (waits.py: its
wait_info(frame, gid), whose caches the compiled core reads), the slow path
slow(event, origin, target, o, t), error(where, exception), interrupt() (a
KeyboardInterrupt raised in a hook, delivered again), safe_repr(value).
"""

SCALARS = ("enabled", "switches", "current", "last_switch_us", "switch_hook", "hook_all", "hook_target",
           "prev_tracer")
CONTAINERS = ("ids", "objects", "hubs", "blocked", "block_reasons", "waiters", "last_waker", "started",
              "unnamed")


class SwitchState(object):
    __slots__ = SCALARS + CONTAINERS + ("main_ident", "callbacks")

    def __init__(self, ids, objects, hubs, blocked, block_reasons, waiters, last_waker, started, unnamed,
                 last_switch_us, main_ident):
        self.ids, self.objects, self.hubs = ids, objects, hubs
        self.blocked, self.block_reasons, self.waiters, self.last_waker = blocked, block_reasons, waiters, last_waker
        self.started, self.unnamed = started, unnamed
        self.enabled = True
        self.switches = 0
        self.current = 1
        self.last_switch_us = last_switch_us
        self.switch_hook = None
        self.hook_all = True
        self.hook_target = 0
        self.prev_tracer = None
        self.main_ident = main_ident
        self.callbacks = None

    def bind(self, enc, waits, slow, error, interrupt, safe_repr):
        self.callbacks = (enc, waits, slow, error, interrupt, safe_repr)

    def forget_ids(self):
        """The ids start afresh (a restart). The compiled twin empties its
        address cache in front of ``ids`` and ``objects``; this one has none."""


def hook_wanted(st, thrown, t):
    """Whether the switch into greenlet t needs the debugger's switch hook
    (``_core.c``'s hook_wanted is the compiled twin)."""
    return st.switch_hook is not None and (st.hook_all or thrown or t == st.hook_target)


def state_property(name):
    """A Recorder attribute that lives in its SwitchState."""
    return property(lambda rec: getattr(rec.state, name),
                    lambda rec, value: setattr(rec.state, name, value),
                    doc="rec.state.%s (see state.py)" % name)
