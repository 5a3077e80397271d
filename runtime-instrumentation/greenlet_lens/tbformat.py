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
    name = reprs.type_name(value) if value is not None else getattr(etype, "__name__", "?")
    msg = reprs.exception_message(value) if value is not None else ""
    lines.append(name + (": " + msg if msg else ""))
    return "\n".join(lines)
