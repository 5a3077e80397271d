"""Line breakpoints and line steps, with sys.settrace on the program's thread.

Tracing is on only while there are breakpoints or a step is under way, and
then only frames of files with breakpoints (or of the stepping greenlet) get
a local tracer. Greenlets share the thread's trace function, so a step
remembers its greenlet and ignores lines other greenlets run meanwhile.

A trace function the program set itself (coverage, its own debugging aid)
is chained, never replaced: it is called first for every event, as before,
and is put back when breakpoints are gone. One the program sets later takes
over until the next greenlet switch, which chains it in turn.
"""
import dis
import os
import re
import sys

from . import frames, reprs

_OURS = frames.OURS


def code_lines(path):
    """(the lines of path that have code, a problem or None): compiled here,
    never imported or run."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        top = compile(source, path, "exec", dont_inherit=True)
    except OSError as e:
        return set(), "cannot read %s: %s" % (path, e.strerror or e)
    except (SyntaxError, ValueError) as e:
        return set(), "%s does not compile: %s" % (os.path.basename(path), e)
    lines = set()
    todo = [top]
    while todo:
        code = todo.pop()
        lines.update(ln for _off, ln in dis.findlinestarts(code) if ln)
        todo.extend(c for c in code.co_consts if hasattr(c, "co_code"))
    # A function's "def" line only runs once, at definition; the body lines count.
    return lines, None


_HOLE = re.compile(r"\{([^{}]+)\}")


def _shown(value):
    """A logpoint's {expr}: a str as it is, anything else as the Variables
    view shows it (no program __str__ or __repr__ runs)."""
    return str.__str__(value) if isinstance(value, str) else reprs.safe_repr(value)


class Breakpoint(object):
    def __init__(self, path, line, condition=None, hit_condition=None, log_message=None):
        self.path = path
        self.line = line
        self.condition = condition or None
        self.hit_condition = (hit_condition or "").strip() or None
        self.log_message = log_message if log_message else None
        self.hits = 0
        self.told = set()  # what went wrong here, said once each

    def _where(self):
        return "%s:%d" % (os.path.basename(self.path), self.line)

    def _tell_once(self, what, e, say):
        if what in self.told:
            return
        self.told.add(what)
        msg = reprs.exception_message(e)
        say("Greenlet Lens: the %s at %s raised %s%s; %s (said once)\n" % (
            what, self._where(), reprs.type_name(e), ": " + msg if msg else "",
            "the breakpoint does not stop" if what == "condition" else "shown as <error> in its message"))

    def should_stop(self, frame, say):
        """Evaluated in the program's thread, as a debugger user expects: the
        condition is the program's own expression. A condition that raises
        is said once (through `say`) and does not stop; a logpoint says its
        message and never stops."""
        if self.condition is not None:
            try:
                if not eval(self.condition, frame.f_globals, frame.f_locals):
                    return False
            except Exception as e:
                self._tell_once("condition", e, say)
                return False
        self.hits += 1
        if not self._hit_holds():
            return False
        if self.log_message is not None:
            say(self._message(frame, say) + "\n")
            return False
        return True

    def _message(self, frame, say):
        def fill(m):
            try:
                return _shown(eval(m.group(1), frame.f_globals, frame.f_locals))
            except Exception as e:
                self._tell_once("log message", e, say)
                return "<error: %s>" % reprs.type_name(e)
        return _HOLE.sub(fill, self.log_message)

    def _hit_holds(self):
        h = self.hit_condition
        if h is None:
            return True
        try:
            if h.startswith("%"):
                return self.hits % int(h[1:].strip()) == 0
            for op in (">=", "<=", "==", ">", "<"):
                if h.startswith(op):
                    n = int(h[len(op):].strip())
                    return {">=": self.hits >= n, "<=": self.hits <= n, "==": self.hits == n,
                            ">": self.hits > n, "<": self.hits < n}[op]
            return self.hits == int(h)
        except ValueError:
            return True


class Step(object):
    """A line step in one greenlet: kind 'next', 'stepIn', 'stepOut' or 'entry'."""

    def __init__(self, kind, g, frame):
        self.kind = kind
        self.g = g
        self.frame = frame


class _Both(object):
    """A frame's local tracer when both the program's and ours trace it."""
    __slots__ = ("theirs", "ours")

    def __init__(self, theirs, ours):
        self.theirs = theirs
        self.ours = ours

    def __call__(self, frame, event, arg):
        theirs = self.theirs
        if theirs is not None:
            self.theirs = theirs = theirs(frame, event, arg)
        self.ours(frame, event, arg)
        return self if theirs is not None else self.ours


class LineTracer(object):
    def __init__(self, debugger):
        self.dbg = debugger
        self.breakpoints = {}  # absolute file -> {line: Breakpoint}
        self.step = None
        self.installed = False
        self.program_tracer = None  # the program's own sys.settrace function, chained
        # Bound once: identity tells our tracers from the program's.
        self._global = self._global
        self._local = self._local

    # -- configuration (control thread) ------------------------------------
    def set_breakpoints(self, path, specs):
        path = os.path.abspath(path)
        table = {}
        out = []
        lines, problem = code_lines(path)
        for spec in specs:
            line = int(spec.get("line", 0))
            table[line] = Breakpoint(path, line, spec.get("condition"), spec.get("hitCondition"), spec.get("logMessage"))
            answer = {"line": line, "verified": problem is None and line in lines}
            if problem is not None:
                answer["message"] = problem
            elif line not in lines:
                answer["message"] = "no code on line %d of %s" % (line, os.path.basename(path))
            out.append(answer)
        if table:
            self.breakpoints[path] = table
        else:
            self.breakpoints.pop(path, None)
        return out

    def wanted(self):
        return bool(self.breakpoints) or self.step is not None

    # -- the program's thread ---------------------------------------------
    def sync(self, greenlet_frames):
        """Turn sys.settrace on or off as needed; give existing frames of files
        with breakpoints (and of a stepping greenlet) their local tracer."""
        if self.wanted():
            current = sys.gettrace()
            if current is not self._global:
                self.program_tracer = current
                sys.settrace(self._global)
                self.installed = True
            for f in greenlet_frames():
                while f is not None:
                    if self._interesting(f.f_code):
                        self._give_local(f)
                    f = f.f_back
            if self.step is not None and self.step.frame is not None:
                f = self.step.frame
                while f is not None:
                    self._give_local(f)
                    f = f.f_back
        elif self.installed:
            if sys.gettrace() is self._global:
                sys.settrace(self.program_tracer)
            self.program_tracer = None
            self.installed = False

    def displaced(self):
        """The program set its own trace function over ours (checked at switches)."""
        return self.installed and sys.gettrace() is not self._global

    def _give_local(self, f):
        t = f.f_trace
        if t is None:
            f.f_trace = self._local
        elif t is not self._local and not (type(t) is _Both and t.ours is self._local):
            f.f_trace = _Both(t, self._local)

    def _file_of(self, code):
        f = code.co_filename
        return f if os.path.isabs(f) else os.path.abspath(f)

    def _interesting(self, code):
        if frames.code_class(code) == _OURS:
            return False
        if self.step is not None and (self.step.kind in ("stepIn", "entry")):
            return not self.dbg.just_my_code or frames.code_class(code) == frames.USER
        return self._file_of(code) in self.breakpoints

    def _global(self, frame, event, arg):
        ours = self._local if event == "call" and self._interesting(frame.f_code) else None
        program = self.program_tracer
        if program is None:
            return ours
        theirs = program(frame, event, arg)
        if theirs is None:
            return ours
        return theirs if ours is None else _Both(theirs, ours)

    def _local(self, frame, event, arg):
        if event == "line":
            self._on_line(frame)
        elif event == "return":
            self._on_return(frame)
        return self._local

    def _on_line(self, frame):
        dbg = self.dbg
        table = self.breakpoints.get(self._file_of(frame.f_code))
        if table is not None:
            bp = table.get(frame.f_lineno)
            if bp is not None and bp.should_stop(frame, dbg.say):
                dbg.stop_at_line("breakpoint", frame, {"line": bp.line})
                return
        step = self.step
        if step is None or dbg.rec.current != step.g:
            return
        if step.kind in ("stepIn", "entry"):
            if not dbg.just_my_code or frames.code_class(frame.f_code) == frames.USER:
                dbg.stop_at_line("entry" if step.kind == "entry" else "step", frame)
        elif step.kind == "next" and frame is step.frame:
            dbg.stop_at_line("step", frame)

    def _on_return(self, frame):
        step = self.step
        if step is None or frame is not step.frame or self.dbg.rec.current != step.g:
            return
        # Leaving the frame a next/stepOut watches: go on in its caller.
        caller = frame.f_back
        while caller is not None and frames.code_class(caller.f_code) == _OURS:
            caller = caller.f_back
        step.frame = caller
        if step.kind == "stepOut":
            step.kind = "next"
        if caller is not None:
            self._give_local(caller)
