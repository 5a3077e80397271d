"""python3 -m greenlet_lens record [--output FILE] [--] script.py [args…]
python3 -m greenlet_lens record [--output FILE] -m module [args…]
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


def _run(opts, rec, dbg):
    """Runs the program as __main__; returns (exit code, exception to re-raise)."""
    from . import runner
    try:
        if opts.module is not None:
            runner.run_module(opts.module, opts.rest)
        else:
            runner.run_script(opts.rest[0], opts.rest[1:])
    except SystemExit as e:
        return runner.exit_code_of(e), e
    except BaseException as e:
        rec.main_failed = True
        rec.exception(1, type(e), e, e.__traceback__)
        if dbg is not None:
            dbg.on_uncaught(e)
        return runner.report_uncaught(e), e
    return 0, None


def main():
    opts = parse(sys.argv[1:])
    _check_environment(opts)
    from . import runner, session
    argv = [opts.module or opts.rest[0]] + (list(opts.rest) if opts.module else list(opts.rest[1:]))
    dbg = None
    try:
        if opts.command == "record":
            rec = session.start(opts.output, argv)
        else:
            from . import live
            rec, dbg = live.start(opts, argv)
    except OSError as e:
        _fail("cannot start: %s" % (e.strerror or e))
    if dbg is not None:
        dbg.wait_configured()
    code, pending = _run(opts, rec, dbg)
    session.stop(rec, code)
    if dbg is not None:
        dbg.exited(code)
    if isinstance(pending, KeyboardInterrupt):
        runner.die_like_interrupt()
    if isinstance(pending, SystemExit):
        raise pending
    sys.exit(code)


if __name__ == "__main__":
    main()
