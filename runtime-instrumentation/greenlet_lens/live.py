"""Starting a live debug session: `debug` (the adapter launched us and passed
its end of a socket pair) or `listen` (we listen and adapters attach, one at
a time, as often as they like)."""
import os
import sys

from . import channel, compat, secretfile, session, spawned
from .debugger import Debugger, identity_message, join_session

LIVE_FLUSH = 0.016  # the board redraws at most ~60 times a second
# Connections still proving themselves at once; more are closed at once.
MAX_PENDING = 4


def start(opts, argv):
    """(Recorder, Debugger) for opts.command 'debug' or 'listen'."""
    if opts.command == "debug":
        return _launched(opts, argv)
    return _listening(opts, argv)


def _launched(opts, argv):
    fd_text = os.environ.pop("GREENLET_LENS_CHANNEL_FD", "")
    # Taken out of the environment: the program's own subprocesses must not inherit it.
    secret = os.environ.pop("GREENLET_LENS_SECRET", None)
    if not fd_text.isdigit():
        raise OSError(0, "GREENLET_LENS_CHANNEL_FD must name the debug adapter's descriptor (the adapter sets it), got %r"
                      % fd_text)
    if not secret:
        raise OSError(0, "GREENLET_LENS_SECRET is not set (the debug adapter sets it)")
    ch = channel.from_inherited_fd(int(fd_text))
    if not channel.handshake(ch, secret, identity_message(argv)):
        ch.close()
        raise OSError(0, "the debug adapter did not prove it knows the secret")
    # The adapter's port for forked children, when the session follows them;
    # spawned ones too when the launch has "followChildren": true.
    children = os.environ.pop("GREENLET_LENS_CHILDREN_PORT", "")
    spawned_too = os.environ.pop("GREENLET_LENS_FOLLOW_SPAWNED", "") == "1"
    follow = children.isdigit()
    rec = session.start(opts.output, argv, live=ch.send_trace, flush_interval=LIVE_FLUSH, follow_forks=follow)
    dbg = Debugger(rec)
    if follow:
        dbg.follow_children(int(children), secret)
        if spawned_too:
            _share_with_spawned(dbg, int(children), secret)
    dbg.exit_on_disconnect = True
    dbg.install_signals()
    dbg.connect(ch)
    return rec, dbg


def _share_with_spawned(dbg, port, secret):
    """New Pythons the program starts join the session too (spawned.py): the
    secret goes into a private file (never into the environment), removed
    once this process and its forks have ended."""
    path = os.path.join(secretfile.private_dir(), "children-%d-%s.secret" % (os.getpid(), os.urandom(4).hex()))
    secretfile.write_secret(path, secret)
    dbg.watcher_fd = secretfile.remove_at_exit([path])
    spawned.export_session(port, path, dbg.rec)


def start_spawned(port, secret_file, folder, argv):
    """In a new Python started by a session that follows spawned children
    (boot/sitecustomize.py, before the program's first line): connected back
    to the adapter as a child session, like a forked child, and waiting for
    its configuration, so breakpoints set before it started hit in it."""
    secret = secretfile.read_secret(secret_file)
    ch = join_session(port, secret, "spawn")
    try:
        rec = session.start_spawned(folder, argv, live=ch.send_trace, flush_interval=LIVE_FLUSH)
    except BaseException:
        ch.close()
        raise
    dbg = Debugger(rec)
    dbg.follow_children(port, secret)
    spawned.export_session(port, secret_file, rec)
    dbg.exit_on_disconnect = True
    dbg.install_signals()
    dbg.connect(ch)
    waited_from = compat.monotonic_us()
    dbg.wait_configured()
    # The wait for its session is the debugger's time, not the program's.
    rec.last_switch_us = compat.monotonic_us()
    rec.w.leave_out(rec.last_switch_us - waited_from)
    return rec, dbg


def _listening(opts, argv):
    secret = os.urandom(32).hex()
    srv = channel.listen(opts.port)
    port = srv.getsockname()[1]
    leftovers = []
    try:
        if opts.secret_file:
            secret_file = os.path.abspath(opts.secret_file)
        else:
            secret_file = secretfile.default_secret_path(port)
            try:
                os.unlink(secret_file)  # a stale one of ours, in our private folder
            except FileNotFoundError:
                pass
        secretfile.write_secret(secret_file, secret)
        leftovers.append(secret_file)
        output = opts.output
        if output is None:
            # A late adapter is sent the trace so far: it needs a file to read back.
            output = os.path.join(secretfile.private_dir(), "trace-%d-%d.glt" % (os.getpid(), port))
            secretfile.create_private(output)
            leftovers.append(output)
    except BaseException:
        for path in leftovers:
            _unlink(path)
        srv.close()
        raise
    watcher = secretfile.remove_at_exit(leftovers)
    sys.stderr.write("greenlet-lens: listening on 127.0.0.1:%d, secret in %s\n" % (port, secret_file))
    sys.stderr.flush()
    rec = session.start(output, argv, flush_interval=LIVE_FLUSH)
    dbg = Debugger(rec)
    dbg.leftovers = leftovers  # files of ours removed at exit; a --trace file stays
    dbg.watcher_fd = watcher
    dbg.install_signals()
    identity = identity_message(argv)
    pending = [0]
    lock = compat.original_lock()

    def busy():
        return "another debug session is attached to this program" if dbg.attached else None

    def prove(conn):
        try:
            ch = channel.adopt(conn)
        except Exception:
            _close(conn)
            return
        try:
            if channel.handshake(ch, secret, identity, busy):
                with lock:
                    if not dbg.attached:
                        dbg.connect(ch, replay=True)
                        return
            ch.close()
        except Exception:
            ch.close()
        finally:
            with lock:
                pending[0] -= 1

    def serve():
        # Every connection proves itself on its own thread, under a time limit;
        # a bad one is dropped and the port keeps listening for the next.
        while True:
            try:
                conn, _addr = srv.accept()
            except OSError:
                return
            with lock:
                full = pending[0] >= MAX_PENDING
                if not full:
                    pending[0] += 1
            if full:
                _close(conn)
                continue
            compat.start_raw_thread(lambda c=conn: prove(c))

    compat.start_raw_thread(serve)
    if not opts.wait:
        dbg.program_started = True
        dbg.let_program_start()  # stops wait for the adapter's configurationDone all the same
    return rec, dbg


def _close(sock):
    try:
        sock.close()
    except Exception:
        pass


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def listen(port=5679, wait=False, trace=None):
    """Start a debug listener from inside a running program, on its main thread."""
    import greenlet_lens

    class _Opts(object):
        command = "listen"
        output = trace
        secret_file = None

    _Opts.port = port
    _Opts.wait = wait
    if greenlet_lens._recorder is not None:
        raise RuntimeError("greenlet_lens is already recording this process")
    rec, dbg = _listening(_Opts, list(sys.argv))
    if wait:
        dbg.wait_configured()
    return dbg
