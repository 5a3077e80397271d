"""N short greenlets, one in ten failing, joined in batches."""
import sys

import gevent

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def job(i):
    gevent.sleep(0)
    if i % 10 == 0:
        raise ValueError(i)
    return i


# gevent prints every failure to stderr; a thousand tracebacks would measure the terminal.
gevent.get_hub().print_exception = lambda *a, **k: None
ok = 0
for start in range(0, N, 1000):
    batch = [gevent.spawn(job, i) for i in range(start, min(N, start + 1000))]
    gevent.joinall(batch)
    ok += sum(1 for g in batch if g.successful())
print(ok)
