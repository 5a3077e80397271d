"""Run with -m: prints its name and argv."""
import sys

import gevent

gevent.sleep(0)
print(__name__, sys.argv[1:], sys.argv[0].endswith("mod_echo.py"))
