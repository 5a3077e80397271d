"""What this interpreter offers the runtime, as one JSON line on stdout:

    python -c "import sys; sys.path.insert(0, RUNTIME_DIR); from greenlet_lens.probe import main; main()"

Python's version and implementation, greenlet's and gevent's versions (null
when missing, with the import error's last line), gevent's loop and build.
The same fields head every trace (session.py). The CLI, the debug adapter and
the extension all ask this one probe (shared/node/python-probe.ts).
"""
import json
import platform
import sys

from . import compat


def describe():
    info = {"python": platform.python_version(), "implementation": sys.implementation.name}
    info.update(compat.versions())
    return info


def main():
    out = describe()
    out["importErrors"] = dict(compat.IMPORT_ERRORS)
    sys.stdout.write(json.dumps(out) + "\n")
