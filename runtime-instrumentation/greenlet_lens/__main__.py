"""python3 -m greenlet_lens record [--output FILE] [--[no-]follow-children] [--] script.py [args…]
python3 -m greenlet_lens record [--output FILE] [--[no-]follow-children] -m module [args…]
python3 -m greenlet_lens debug [--trace FILE] [--] script.py [args…]   (started by the debug adapter)
python3 -m greenlet_lens listen --port N [--trace FILE] [--secret-file F] [--no-wait] [--] script.py [args…]"""
import os
import sys
import time

USAGE = __doc__
COMMANDS = ("record", "debug", "listen")


def _fail(msg, code=2):
    sys.stderr.write("greenlet_lens: error: %s\n" % msg)
    sys.exit(code)


class Options(object):
    command = None
    output = None
    module = None
    rest = ()
    port = None
    secret_file = None
    wait = True
    # record: a forked child records into FILE.d/<pid>.glt (forks.py); with
    # follow_spawn a new Python started from it too (spawned.py).
    follow = True
    follow_spawn = False


_VALUED = {"-o": "output", "--output": "output", "--trace": "output", "--port": "port",
           "--secret-file": "secret_file"}


def parse(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE + "\n")
        sys.exit(0 if argv else 2)
    if "-h" in argv[:argv.index("--") if "--" in argv else len(argv)] or \
            "--help" in argv[:argv.index("--") if "--" in argv else len(argv)]:
        sys.stdout.write(USAGE + "\n")
        sys.exit(0)
    opts = Options()
    opts.command = argv[0]
    if opts.command not in COMMANDS:
        _fail("unknown command %r\n%s" % (argv[0], USAGE))
    i = 1
    while i < len(argv):
        a = argv[i]
        name, eq, value = a.partition("=")
        if name in _VALUED:
            if not eq:
                if i + 1 >= len(argv):
                    _fail("%s needs a value" % a)
                value = argv[i + 1]
                i += 1
            setattr(opts, _VALUED[name], value)
            i += 1
        elif a == "--no-wait":
            opts.wait = False
            i += 1
        elif a == "--no-follow-children" and opts.command == "record":
            opts.follow = opts.follow_spawn = False
            i += 1
        elif a == "--follow-children" and opts.command == "record":
            opts.follow = opts.follow_spawn = True
            i += 1
        elif a == "--":
            i += 1
            break
        elif a == "-m":
            if i + 1 >= len(argv):
                _fail("-m needs a module name")
            opts.module = argv[i + 1]
            i += 2
            break
        elif a.startswith("-"):
            _fail("unknown option %r\n%s" % (a, USAGE))
        else:
            break
    opts.rest = argv[i:]
    if opts.module is None and not opts.rest:
        _fail("no program given\n" + USAGE)
    if opts.command == "record" and opts.output is None:
        opts.output = "greenlet-lens-%s.glt" % time.strftime("%Y%m%d-%H%M%S")
    if opts.command == "listen":
        try:
            opts.port = int(opts.port)
        except (TypeError, ValueError):
            _fail("listen needs --port N")
    return opts


def _check_environment(opts):
    try:
        import greenlet  # noqa: F401
    except ImportError as e:
        # The commands to install it are worded once, by greenlet-lens record
        # and the extension (shared/node/python-probe.ts), which check first.
        _fail("%s cannot import greenlet (%s: %s): install gevent for this interpreter "
              "(it brings greenlet), or run with one that has it" % (sys.executable, type(e).__name__, e))
    if opts.module is None and not os.path.exists(opts.rest[0]):
        _fail("can't open file %r: no such file" % opts.rest[0])


def _check_output(opts):
    """The trace never replaces the program itself (writer.open_trace refuses
    any other file that is not a trace)."""
    if opts.output is None or opts.module is not None:
        return
    try:
        if os.path.exists(opts.output) and os.path.samefile(opts.output, opts.rest[0]):
            _fail("--output %s is the program itself; give the trace another name" % opts.output)
    except OSError:
        pass


class Run(object):
    """A program ready to run: its code and namespace, and the session around it."""
    code = None
    namespace = None
    rec = None
    dbg = None


def prepare(argv_in):
    """Everything before the program's first line; returns a Run."""
    opts = parse(argv_in)
    _check_environment(opts)
    _check_output(opts)
    from . import runner, session
    argv = [opts.module or opts.rest[0]] + (list(opts.rest) if opts.module else list(opts.rest[1:]))
    run = Run()
    try:
        if opts.command == "record":
            run.rec = session.start(opts.output, argv, follow_forks=opts.follow, follow_spawn=opts.follow_spawn)
        else:
            from . import live
            run.rec, run.dbg = live.start(opts, argv)
    except OSError as e:
        _fail("cannot start: %s" % (e.strerror or e))
    if run.dbg is not None:
        run.dbg.wait_configured()
    try:
        if opts.module is not None:
            run.code, run.namespace = runner.prepare_module(opts.module, opts.rest)
        else:
            run.code, run.namespace = runner.prepare_script(opts.rest[0], opts.rest[1:])
    except BaseException as e:
        finish(run, e)
    return run


def finish(run, exc):
    """Everything after the program: its exit status as python3 would give
    it, the trace's end, then the exit itself."""
    from . import runner, session
    rec, dbg = run.rec, run.dbg
    if exc is None:
        code = 0
    elif isinstance(exc, SystemExit):
        code = runner.exit_code_of(exc)
    else:
        rec.main_failed = True
        rec.exception(1, type(exc), exc, exc.__traceback__)
        if dbg is not None:
            dbg.on_uncaught(exc)
        code = runner.report_uncaught(exc)
    session.stop(rec, code)
    if dbg is not None:
        dbg.exited(code)
    if isinstance(exc, KeyboardInterrupt):
        runner.die_like_interrupt()
    if isinstance(exc, SystemExit):
        raise exc
    sys.exit(code)


def main():
    """For callers that import this module; `python -m greenlet_lens` runs
    the program from the module body below, one frame under it."""
    run = prepare(sys.argv[1:])
    try:
        exec(run.code, run.namespace)
    except BaseException as e:
        finish(run, e)
    finish(run, None)


if __name__ == "__main__":
    # The program's frames sit right on this module's: its stack shows this
    # frame (and runpy's two, as under `python -m`), nothing else of ours.
    _run = prepare(sys.argv[1:])
    try:
        exec(_run.code, _run.namespace)
    except BaseException as _exc:
        finish(_run, _exc)
    finish(_run, None)
