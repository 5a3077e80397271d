"""Running the program as ``__main__``, exactly as ``python3 script.py`` or
``python3 -m module`` would: same argv, path, module namespace, output, exit
status and uncaught-exception report (without this runtime's frames)."""
import builtins
import io
import os
import runpy
import signal
import sys
import types

_OURS = os.path.dirname(os.path.abspath(__file__)) + os.sep
_RUNPY = (os.path.abspath(runpy.__file__) if getattr(runpy, "__file__", None) else "", "<frozen runpy>")


def _fresh_main(path):
    mod = types.ModuleType("__main__")
    mod.__builtins__ = builtins
    if path is not None:
        from importlib.machinery import SourceFileLoader
        mod.__file__ = path
        mod.__loader__ = SourceFileLoader("__main__", path)
        mod.__cached__ = None
    mod.__spec__ = None
    mod.__package__ = None
    sys.modules["__main__"] = mod
    return mod


def prepare_script(path, args):
    """(code, namespace) of the script as python3 path args would run it;
    the caller execs it, so no frame of ours sits between."""
    sys.argv = [path] + list(args)
    sys.path[0] = os.path.dirname(os.path.realpath(path))
    # Since 3.9 the interpreter gives __main__ an absolute __file__ (and so
    # absolute paths in tracebacks); sys.argv[0] stays as typed.
    filename = os.path.abspath(path) if sys.version_info >= (3, 9) else path
    with io.open_code(os.path.abspath(path)) as f:
        source = f.read()
    code = compile(source, filename, "exec", dont_inherit=True)
    mod = _fresh_main(filename)
    return code, mod.__dict__


def prepare_module(name, args):
    """(code, namespace) of `python -m name args`, as runpy sets it up."""
    sys.argv = [name] + list(args)
    sys.path[0] = os.getcwd()
    mod_name, spec, code = runpy._get_module_details(name)
    mod = _fresh_main(None)
    g = mod.__dict__
    g.update(__name__="__main__", __file__=spec.origin, __cached__=spec.cached, __doc__=None,
             __loader__=spec.loader, __package__=spec.parent, __spec__=spec)
    if spec.origin:
        sys.argv[0] = spec.origin
    return code, g


def run_script(path, args):
    code, namespace = prepare_script(path, args)
    exec(code, namespace)


def _strip(tb):
    """Drop the leading frames that belong to this runtime or to runpy."""
    while tb is not None:
        f = tb.tb_frame.f_code.co_filename
        if f.startswith(_OURS) or f in _RUNPY:
            tb = tb.tb_next
        else:
            break
    return tb


def exit_code_of(system_exit):
    code = system_exit.code
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    return 1


def report_uncaught(exc):
    """Print the exception as the interpreter would; return the exit status."""
    tb = _strip(exc.__traceback__)
    exc.__traceback__ = tb
    try:
        sys.excepthook(type(exc), exc, tb)
    except Exception:
        pass
    return 130 if isinstance(exc, KeyboardInterrupt) else 1


def die_like_interrupt():
    """Python ends on an uncaught KeyboardInterrupt by SIGINT's default
    action, after its atexit handlers ran (at finalization, which the
    signal would skip: so they run here)."""
    try:
        import atexit
        atexit._run_exitfuncs()
    except Exception:
        pass
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
