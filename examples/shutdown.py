"""Send SIGQUIT to end it: the handler kills the sleeping greenlet."""
import signal

import gevent


def run_forever():
    gevent.sleep(1000)


if __name__ == '__main__':
    thread = gevent.spawn(run_forever)
    # The seed wrote gevent.signal(signal.SIGQUIT, gevent.kill); gevent.kill
    # needs the greenlet, and gevent.signal became gevent.signal_handler.
    gevent.signal_handler(signal.SIGQUIT, thread.kill)
    thread.join()
