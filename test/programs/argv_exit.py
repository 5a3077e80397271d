"""Prints what a program sees of how it was started, then exits with status 3."""
import json
import os
import sys

import __main__

print(json.dumps({
    "argv": sys.argv,
    "name": __name__,
    "main_is_me": __main__.__dict__ is globals(),
    "path0": os.path.basename(sys.path[0]),
    "file": __file__,
    "spec": repr(__spec__),
}))
sys.stderr.write("to stderr\n")
sys.exit(3)
