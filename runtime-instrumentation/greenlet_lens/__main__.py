"""python3 -m greenlet_lens record [--output FILE] [--] script.py [args…]
python3 -m greenlet_lens record [--output FILE] -m module [args…]"""
import os
import sys
import time

USAGE = __doc__


def _fail(msg, code=2):
    sys.stderr.write("greenlet_lens: error: %s\n" % msg)
    sys.exit(code)


def parse(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE + "\n")
        sys.exit(0 if argv else 2)
    if argv[0] != "record":
        _fail("unknown command %r\n%s" % (argv[0], USAGE))
    output = module = None
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("-o", "--output"):
            if i + 1 >= len(argv):
                _fail("%s needs a file name" % a)
            output = argv[i + 1]
            i += 2
        elif a.startswith("--output="):
            output = a.split("=", 1)[1]
            i += 1
        elif a == "--":
            i += 1
            break
        elif a == "-m":
            if i + 1 >= len(argv):
                _fail("-m needs a module name")
            module = argv[i + 1]
            i += 2
            break
        elif a.startswith("-"):
            _fail("unknown option %r\n%s" % (a, USAGE))
        else:
            break
    rest = argv[i:]
    if module is None and not rest:
        _fail("no program given\n" + USAGE)
    if output is None:
        output = "greenlet-lens-%s.glt" % time.strftime("%Y%m%d-%H%M%S")
    return output, module, rest


def main():
    output, module, rest = parse(sys.argv[1:])
    try:
        import greenlet  # noqa: F401
    except ImportError:
        _fail("greenlet is not installed for %s. Install gevent (it brings greenlet): "
              "'sudo apt-get install python3-gevent' on Debian/Ubuntu, or "
              "'%s -m pip install gevent'" % (sys.executable, sys.executable))
    if module is None:
        script = rest[0]
        if not os.path.exists(script):
            _fail("can't open file %r: no such file" % script)
    from . import runner, session
    try:
        rec = session.start(output, [module or rest[0]] + (rest if module else rest[1:]))
    except OSError as e:
        _fail("cannot write the trace %r: %s" % (output, e.strerror or e))
    code = 0
    pending = None
    try:
        if module is not None:
            runner.run_module(module, rest)
        else:
            runner.run_script(rest[0], rest[1:])
    except SystemExit as e:
        code = runner.exit_code_of(e)
        pending = e
    except BaseException as e:
        rec.main_failed = True
        rec.exception(1, type(e), e, e.__traceback__)
        code = runner.report_uncaught(e)
        pending = e
    session.stop(rec, code)
    if isinstance(pending, KeyboardInterrupt):
        runner.die_like_interrupt()
    if isinstance(pending, SystemExit):
        raise pending
    sys.exit(code)


if __name__ == "__main__":
    main()
