"""Greenlet Lens for pytest: record each test, fail a test that leaks
greenlets or leaves an exception nobody observed, keep failing tests' traces.

Use ``pytest -p greenlet_lens.pytest_plugin`` (greenlet_lens importable), or
``--greenlet-lens`` where the plugin is registered another way (a
``pytest_plugins`` line in a conftest.py, or a ``pytest11`` entry point).

Every test (its setup, call and teardown) is recorded into a trace of its
own. After its teardown, the plugin decides in this process, without Node:

- leaked greenlets: gevent greenlets spawned during the test that are still
  alive (blocked, ready, never started) after its teardown;
- exceptions nobody observed: gevent greenlets spawned during the test that
  died of an exception (not a kill) with nothing linked to them when they
  ended (no join(), get(), joinall() or link() waiting) and whose exception
  was not raised again by a later get().

These are the rules of ``greenlet-lens check`` (shared/analysis) for a
program that has ended: the test's function has returned, so a join it made
was got past. Which of them fail the test: ``--greenlet-lens-fail-on`` (or
the ini option ``greenlet_lens_fail_on``), a comma list of ``leak`` and
``exception``, default both; empty records only. The trace of a test that
failed, for any reason, is kept in ``--greenlet-lens-traces`` (default
``.greenlet-lens-traces`` in the rootdir): open it in VS Code (it replays on
the board, its findings in the Problems view) or run ``greenlet-lens check``.
``--greenlet-lens-keep all`` keeps every test's.
"""
import os
import re
import shutil
import sys
import tempfile
import weakref

from . import compat, frames, session

_KINDS = ("leak", "exception")


def pytest_addoption(parser):
    group = parser.getgroup("greenlet-lens", "Greenlet Lens: record each test, fail on leaked greenlets and unobserved exceptions")
    group.addoption("--greenlet-lens", action="store_true", default=False,
                    help="record each test with Greenlet Lens (on by itself with -p greenlet_lens.pytest_plugin)")
    group.addoption("--greenlet-lens-fail-on", default=None, metavar="KINDS",
                    help="what fails a test: a comma list of leak, exception (default: both; empty: record only)")
    group.addoption("--greenlet-lens-traces", default=None, metavar="DIR",
                    help="where failing tests' traces are kept (default: .greenlet-lens-traces in the rootdir)")
    group.addoption("--greenlet-lens-keep", default="failed", choices=("failed", "all", "none"),
                    help="whose traces are kept: failed tests' (default), every test's, or none")
    parser.addini("greenlet_lens_fail_on", "what fails a test: leak, exception (comma list)", default="leak,exception")


def _enabled(config):
    if config.getoption("greenlet_lens"):
        return True
    given = getattr(config.option, "plugins", None) or []
    return any(p == __name__ or p.startswith(__name__ + ".") for p in given)


def pytest_configure(config):
    if not _enabled(config) or compat.gevent is None:
        if _enabled(config):
            config.issue_config_time_warning(
                UserWarning("greenlet-lens: gevent is not importable here, so nothing is recorded"), stacklevel=2)
        return
    config.pluginmanager.register(_Lens(config), "greenlet-lens-recorder")


def _fail_on(config):
    text = config.getoption("greenlet_lens_fail_on")
    if text is None:
        text = config.getini("greenlet_lens_fail_on")
    kinds = set(k.strip() for k in str(text).split(",") if k.strip())
    bad = kinds - set(_KINDS)
    if bad:
        import pytest
        raise pytest.UsageError("--greenlet-lens-fail-on: unknown %s (choose from %s)" % (", ".join(sorted(bad)), ", ".join(_KINDS)))
    return kinds


class _Lens(object):
    def __init__(self, config):
        self.fail_on = _fail_on(config)
        self.keep = config.getoption("greenlet_lens_keep")
        out = config.getoption("greenlet_lens_traces")
        self.traces = os.path.abspath(out) if out else os.path.join(str(config.rootpath), ".greenlet-lens-traces")
        self.scratch = tempfile.mkdtemp(prefix="greenlet-lens-pytest-")
        self.between = os.path.join(self.scratch, "between-tests.glt")
        self.kept = []
        self.rec = session.start(self.between, list(sys.argv))
        self.rec.ended_hook = self._ended
        self.greenlet_type = compat._greenlet_mod.greenlet
        self.gevent_greenlet = compat.greenlet_class()
        # Weak references, so that the trace says whether the test itself still held them.
        self.spawned = []    # gevent greenlets spawned during the current test
        self.failed = []     # (id, label, exception, its traceback then, whether anything was linked)
        self.testing = False
        self.gevent_greenlet.add_spawn_callback(self._spawned)

    # -- the recording --------------------------------------------------------
    def _spawned(self, g):
        if self.testing:
            try:
                self.spawned.append(weakref.ref(g))
            except TypeError:
                pass

    def _ended(self, g, n, seen):
        if not self.testing or not any(ref() is g for ref in self.spawned):
            return
        try:
            exc = self.gevent_greenlet.exception.__get__(g)
        except Exception:
            return
        if exc is None or isinstance(exc, compat.greenlet_exit()):
            return
        self.failed.append((id(g), self._label(g), exc, exc.__traceback__, seen))

    def pytest_runtest_setup(self, item):
        self.trace = os.path.join(self.scratch, _file_name(item.nodeid))
        session.restart(self.rec, self.trace, [item.nodeid])
        self.spawned = []
        self.failed = []
        self.item_failed = False
        self.testing = True

    pytest_runtest_setup.tryfirst = True

    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if not self.testing:
            return
        if report.failed:
            self.item_failed = True
        if call.when != "teardown":
            return
        self.testing = False
        problems = self._problems()
        failing = [text for kind, text in problems if kind in self.fail_on]
        self.rec.end_trace(1 if (self.item_failed or failing) else 0)
        kept = None
        if self.keep == "all" or (self.keep == "failed" and (self.item_failed or failing)):
            kept = self._keep(item)
        if problems:
            report.sections.append(("Greenlet Lens", "\n".join(text for _kind, text in problems)))
        for kind, text in problems:
            if kind not in self.fail_on:
                # Not failing the test, but said: in pytest's warnings summary.
                import pytest
                item.warn(pytest.PytestWarning("Greenlet Lens: " + text))
        if failing:
            report.outcome = "failed"
            lines = ["Greenlet Lens: " + text for text in failing]
            if kept is not None:
                lines.append("Greenlet Lens: the test's trace is kept in %s (open it in VS Code, or: greenlet-lens check %s)" % (kept, kept))
            report.longrepr = "\n".join(lines)
        if kept is not None:
            item.user_properties.append(("greenlet_lens_trace", kept))
        session.restart(self.rec, self.between, [])
        self.spawned = []
        self.failed = []

    pytest_runtest_makereport.hookwrapper = True

    def pytest_terminal_summary(self, terminalreporter):
        if self.kept:
            terminalreporter.write_sep("-", "Greenlet Lens traces")
            for nodeid, path in self.kept:
                terminalreporter.write_line("%s: %s" % (nodeid, path))

    def pytest_unconfigure(self, config):
        try:
            self.gevent_greenlet.remove_spawn_callback(self._spawned)
        except Exception:
            pass
        session.stop(self.rec, 0)
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- the verdicts ---------------------------------------------------------
    def _problems(self):
        out = []
        dead = self.greenlet_type.dead.__get__
        alive = [g for g in (ref() for ref in self.spawned) if g is not None]
        leaked = [g for g in alive if not dead(g)]
        if leaked:
            out.append(("leak", "the test leaked %d greenlet%s, still alive after its teardown: %s" % (
                len(leaked), "" if len(leaked) == 1 else "s", "; ".join(self._describe(g) for g in leaked))))
        # A get() after the end raised it again: its traceback grew the caller's frames.
        unseen = [(label, exc) for _i, label, exc, tb, seen in self.failed if not seen and exc.__traceback__ is tb]
        if unseen:
            out.append(("exception", "%d greenlet%s died of an exception nobody observed (no join, get() or link): %s" % (
                len(unseen), "" if len(unseen) == 1 else "s",
                "; ".join("%s: %s" % (label, _exc_text(exc)) for label, exc in unseen))))
        return out

    def _label(self, g):
        n = self.rec.greenlets.get(g)
        name = compat.explicit_name(g) or (self.rec.funcs.get(n) if n else None) or ""
        return ("g%d %s" % (n, name) if n else name or "a greenlet").strip()

    def _describe(self, g):
        if not self.greenlet_type.__bool__(g):
            return "%s (never started)" % self._label(g)
        f = getattr(g, "gr_frame", None)
        while f is not None and frames.code_class(f.f_code) != frames.USER:
            f = f.f_back
        if f is None:
            return self._label(g)
        return "%s (waiting at %s:%d)" % (self._label(g), os.path.basename(f.f_code.co_filename), f.f_lineno)

    def _keep(self, item):
        os.makedirs(self.traces, exist_ok=True)
        path = os.path.join(self.traces, _file_name(item.nodeid))
        shutil.copyfile(self.trace, path)
        self.kept.append((item.nodeid, path))
        return path


def _file_name(nodeid):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150] + ".glt"


def _exc_text(exc):
    from . import reprs
    msg = reprs.exception_message(exc)
    return reprs.type_name(exc) + (": " + msg if msg else "")
