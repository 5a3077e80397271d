"""Plain greenlet code, no gevent: a ping-pong, a return value, a failure."""
from greenlet import greenlet


def ping():
    for i in range(3):
        pong_g.switch(i)
    return "ping done"


def pong(i):
    while True:
        i = main.switch(i)


def boom():
    raise ValueError("boom in a plain greenlet")


main = greenlet.getcurrent()
ping_g = greenlet(ping)
pong_g = greenlet(pong)
seen = []
v = ping_g.switch()
while not ping_g.dead:
    seen.append(v)
    v = ping_g.switch()
print("seen", seen, "last", v)
try:
    greenlet(boom).switch()
except ValueError as e:
    print("caught", e)
