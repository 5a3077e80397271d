"""Starting a live debug session: `debug` (the adapter launched us and
listens) or `listen` (we listen and the adapter attaches)."""
import os
import sys
import tempfile

from . import channel, compat, session
from .debugger import Debugger, hello_message

LIVE_FLUSH = 0.016  # the board redraws at most ~60 times a second


def _secret():
    # Taken out of the environment: the program's own subprocesses must not inherit it.
    given = os.environ.pop("GREENLET_LENS_SECRET", None)
    if given:
        return given
    return os.urandom(32).hex()


def start(opts, argv):
    """(Recorder, Debugger) for opts.command 'debug' or 'listen'."""
    if opts.command == "debug":
        return _launched(opts, argv)
    return _listening(opts, argv)


def _launched(opts, argv):
    addr = os.environ.get("GREENLET_LENS_CONNECT", "")
    host, _, port = addr.rpartition(":")
    if host not in ("127.0.0.1", "localhost") or not port.isdigit():
        raise OSError(0, "GREENLET_LENS_CONNECT must be 127.0.0.1:PORT (the debug adapter sets it), got %r" % addr)
    secret = os.environ.pop("GREENLET_LENS_SECRET", None)
    os.environ.pop("GREENLET_LENS_CONNECT", None)
    if not secret:
        raise OSError(0, "GREENLET_LENS_SECRET is not set (the debug adapter sets it)")
    ch = channel.connect("127.0.0.1", int(port))
    # hello comes before any trace bytes: the adapter reads it first.
    ch.send_json(hello_message(argv))
    rec = session.start(opts.output, argv, live=ch.send_trace, flush_interval=LIVE_FLUSH)
    dbg = Debugger(rec, secret)
    dbg.exit_on_disconnect = True
    dbg.install_signals()
    dbg.connect(ch, argv, hello_sent=True)
    return rec, dbg


def _listening(opts, argv):
    secret = _secret()
    output = opts.output
    leftovers = []
    if output is None:
        # A late adapter is sent the trace so far: it needs a file to read back.
        fd, output = tempfile.mkstemp(prefix="greenlet-lens-", suffix=".glt")
        os.close(fd)
        leftovers.append(output)
    srv = channel.listen(opts.port)
    port = srv.getsockname()[1]
    secret_file = opts.secret_file or os.path.join(tempfile.gettempdir(), "greenlet-lens-%d.secret" % port)
    fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret)
    leftovers.append(secret_file)
    sys.stderr.write("greenlet-lens: listening on 127.0.0.1:%d, secret in %s\n" % (port, secret_file))
    sys.stderr.flush()
    rec = session.start(output, argv, flush_interval=LIVE_FLUSH)
    dbg = Debugger(rec, secret)
    dbg.leftovers = leftovers  # files of ours removed at exit; a --trace file stays
    dbg.install_signals()

    def accept():
        conn, _addr = srv.accept()
        srv.close()
        dbg.connect(channel.Channel(conn), argv, replay=True)

    if opts.wait:
        accept()
    else:
        dbg.program_started = True
        dbg.let_program_start()  # stops wait for the adapter's configurationDone all the same
        compat.start_raw_thread(accept)
    return rec, dbg


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
