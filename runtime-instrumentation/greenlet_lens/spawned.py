"""Recording children that run a new Python (``record --follow-children``):
``subprocess`` of a Python that runs gevent, ``multiprocessing``'s ``spawn``
and ``forkserver`` start methods.

Such a child has nothing of the runtime in it, so the recording tells it
through its environment, which every child inherits unless the program gives
one of its own: ``GREENLET_LENS_FOLLOW`` names the folder the children record
into (``<trace>.d``), ``GREENLET_LENS_SPAWN_PARENT`` the process and trace it
was started from, and ``PYTHONPATH`` gains ``greenlet_lens/boot`` (whose
``sitecustomize`` calls start_from_env() in the child, then hands over to the
interpreter's own ``sitecustomize``) and the runtime's folder. A child that
cannot import greenlet, or that is itself ``python -m greenlet_lens``, is
left alone, silently (docs/runtime.md, "Processes").
"""
import os
import sys

ENV_FOLDER = "GREENLET_LENS_FOLLOW"
ENV_PARENT = "GREENLET_LENS_SPAWN_PARENT"
# A live session's: "PORT:SECRET_FILE" (the adapter's children port, and the
# private file holding the session's secret: never the secret itself).
ENV_SESSION = "GREENLET_LENS_SPAWN_SESSION"
# multiprocessing's own helpers, started as new Pythons: never a session of their own.
_HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.semaphore_tracker", "multiprocessing.forkserver")
BOOT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boot")
RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(folder, trace_path):
    """In a recorded process: children it starts from now on are followed
    into folder, as started by this process and its trace."""
    env = os.environ
    env[ENV_FOLDER] = folder
    env[ENV_PARENT] = "%d:%s" % (os.getpid(), os.path.basename(trace_path))
    _put_on_path()


def export_session(port, secret_file, rec):
    """In a live session that follows spawned children: children it starts
    from now on join the session (through the adapter's children port, proved
    with the secret in secret_file), recording into the session's folder
    when it has one."""
    os.environ[ENV_SESSION] = "%d:%s" % (port, secret_file)
    if rec.follow_folder is not None:
        export(rec.follow_folder, rec.w.path or "")
        return
    os.environ[ENV_PARENT] = "%d:" % os.getpid()
    _put_on_path()


def _put_on_path():
    env = os.environ
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    wanted = [BOOT_DIR, RUNTIME_DIR]
    env["PYTHONPATH"] = os.pathsep.join(wanted + [p for p in parts if p not in wanted])


def parent_of_this_process():
    """(pid, trace file name) of the recorded process that started this one,
    or (the parent's pid, None) when something unrecorded (a shell) is between."""
    pid, _, trace = os.environ.get(ENV_PARENT, "").partition(":")
    ppid = os.getppid()
    if pid.isdigit() and int(pid) == ppid and trace:
        return ppid, trace
    return ppid, None


def _runs_our_cli():
    argv = getattr(sys, "orig_argv", None) or []
    return any(a == "-m" and i + 1 < len(argv) and argv[i + 1].split(".")[0] == "greenlet_lens"
               for i, a in enumerate(argv))


def _is_helper():
    argv = getattr(sys, "orig_argv", None) or []
    return any(a == "-c" and i + 1 < len(argv) and any(h in argv[i + 1] for h in _HELPERS)
               for i, a in enumerate(argv))


def start_from_env():
    """In a new Python, from boot/sitecustomize.py: record it when a
    recording that follows children started it; make it a child session of
    its own when a live session that follows them did."""
    folder = os.environ.get(ENV_FOLDER) or None
    live = os.environ.get(ENV_SESSION)
    if not (folder or live) or _runs_our_cli():
        return
    import greenlet_lens
    if greenlet_lens._recorder is not None:
        return
    try:
        import greenlet  # noqa: F401
    except ImportError:
        return  # not a greenlet program: nothing to record (docs: not followed)
    from . import session
    if live:
        if _is_helper():
            return
        port, _, secret_file = live.partition(":")
        try:
            from . import live as live_session
            live_session.start_spawned(int(port), secret_file, folder, list(sys.argv))
        except Exception as e:
            session.say("this process (pid %d) is not debugged: %s" % (os.getpid(), e))
        return
    try:
        session.start_spawned(folder, list(sys.argv))
    except Exception as e:
        session.say("this process (pid %d) is not recorded: %s" % (os.getpid(), e))
