"""Tracebacks as text, without reading source files (no I/O in a hook)."""
import traceback

from . import frames, reprs


def format_exception(etype, value, tb, limit=64):
    lines = ["Traceback (most recent call last):"]
    try:
        for f, lineno in traceback.walk_tb(tb):
            if frames.is_internal_file(f.f_code.co_filename):
                continue
            lines.append('  File "%s", line %d, in %s' % (f.f_code.co_filename, lineno or 0, f.f_code.co_name))
            if len(lines) > limit:
                lines.append("  \u2026")
                break
    except Exception:
        pass
    if syntax_error_place(value) is not None:
        # Where it is and the line's text, from the exception itself (no file is read).
        lines.extend(line.rstrip("\n") for line in traceback.format_exception_only(type(value), value))
        return "\n".join(lines)
    name = reprs.type_name(value) if value is not None else getattr(etype, "__name__", "?")
    msg = reprs.exception_message(value) if value is not None else ""
    lines.append(name + (": " + msg if msg else ""))
    return "\n".join(lines)


def syntax_error_place(value):
    """(file, line, name) of a builtin SyntaxError (IndentationError...) with a location, else None."""
    if not isinstance(value, SyntaxError) or type(value).__module__ != "builtins":
        return None
    filename, lineno = value.filename, value.lineno
    if not isinstance(filename, str) or not isinstance(lineno, int) or lineno <= 0:
        return None
    return filename, lineno, type(value).__name__
