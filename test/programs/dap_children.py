"""Starts child processes, as real programs do (workers, helpers). The DAP
tests read the pids it prints and check what outlives what.

  python dap_children.py          a `sleep 300` child, then idles forever
  python dap_children.py late     a child that writes after the program exits
"""
import os
import subprocess
import sys

import gevent

if sys.argv[1:] == ["late"]:
    # Holds the program's stdout open and writes after the program is gone.
    subprocess.Popen(["sh", "-c", "sleep 1; echo late-output"])
    print("program done", flush=True)
    sys.exit(0)

child = subprocess.Popen(["sleep", "300"])
print("pids", os.getpid(), child.pid, flush=True)
while True:
    gevent.sleep(0.2)
