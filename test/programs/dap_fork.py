"""Forks after its greenlets ran: the child runs the same code but must not
stop at the parent's breakpoints or talk on its debug connection."""
import os

import gevent


def work(who):
    return who  # WORK


gevent.spawn(work, "parent").join()
pid = os.fork()
if pid == 0:
    gevent.spawn(work, "child").join()
    os._exit(7)
_, status = os.waitpid(pid, 0)
print("child exited", os.WEXITSTATUS(status))
