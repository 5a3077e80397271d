"""Ending the program on Stop, or when the adapter that launched it is gone,
the way a user expects from SIGTERM (docs/security.md, "Stop").

A program with its own SIGTERM handler (from Python or, like
gevent.signal_handler, from C) gets SIGTERM and decides. Otherwise
SystemExit(code) is raised in the program's thread: where it is stopped, or
by the runtime's interrupt signal (interrupts.py) where it runs. Either way
its finally blocks and atexit handlers run and the trace gets its end. A
program still running after GRACE seconds (it ignores SIGTERM, its handler
does not exit, or no interrupt could reach it) is ended at once, its trace
finished first. With whole_group (the launching adapter is gone) the other
processes of the program's group get SIGTERM too, then SIGKILL.
"""
import os
import signal
import sys

from . import compat, interrupts

GRACE = 2.0
GROUP_GRACE = 2.0


class Ender(object):
    def __init__(self, dbg, code, whole_group):
        self.dbg = dbg
        self.code = code
        self.whole_group = whole_group and _leads_group()
        self._group_done = None

    def start(self):
        dbg = self.dbg
        # Every thread starts before the program is told to end: it may be
        # finalizing the interpreter a moment later, and no thread may start then.
        if self.whole_group:
            self._group_done = compat.original_lock()
            self._group_done.acquire()
            compat.start_raw_thread(self._end_others)
        compat.start_raw_thread(self._hard_end_later)
        dbg.disarm()
        if _program_handles_sigterm():
            # The program's SIGTERM handler decides, as under `kill`.
            dbg.release_stop()
            try:
                signal.pthread_kill(compat.main_thread_ident(), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        else:
            dbg.exit_requested = self.code
            if not dbg.release_stop():
                dbg.interrupts.request("exit")

    def _hard_end_later(self):
        compat.original_sleep()(GRACE)
        dbg = self.dbg
        try:
            from . import session
            session.stop(dbg.rec, self.code)
            dbg.exited(self.code)
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        except Exception:
            pass
        finally:
            os._exit(self.code)

    # -- the rest of the process group ---------------------------------------
    def _end_others(self):
        sleep = compat.original_sleep()
        try:
            others = _group_members()
            for pid in others:
                _kill(pid, signal.SIGTERM)
            waited = 0.0
            while others and waited < GROUP_GRACE:
                sleep(0.05)
                waited += 0.05
                others = [pid for pid in others if _alive(pid)]
            for pid in others:
                _kill(pid, signal.SIGKILL)
            for pid in _group_members():  # started meanwhile
                _kill(pid, signal.SIGKILL)
        finally:
            self._group_done.release()

    def finish_group(self):
        """Before the process exits: the others of its group are gone."""
        done = self._group_done
        if done is None:
            return
        if not done.acquire(True, GROUP_GRACE + 1.0):
            return
        done.release()


def _program_handles_sigterm():
    """A SIGTERM handler of the program's: one set with signal.signal, or one
    installed from C, which signal.getsignal does not see (gevent.signal_handler
    is libev's, the usual way a gevent program handles SIGTERM)."""
    if callable(signal.getsignal(signal.SIGTERM)):
        return True
    return interrupts.kernel_handler(signal.SIGTERM) not in (None, int(signal.SIG_DFL), int(signal.SIG_IGN))


def _leads_group():
    try:
        return os.getpgrp() == os.getpid()
    except OSError:
        return False


def _group_members():
    """The other live processes of our group (Linux: read from /proc)."""
    me = os.getpid()
    out = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rindex(b")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == me and fields[0] != b"Z":
            out.append(int(name))
    return out


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read()
        return data[data.rindex(b")") + 2:data.rindex(b")") + 3] != b"Z"
    except OSError:
        return False


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except OSError:
        pass
