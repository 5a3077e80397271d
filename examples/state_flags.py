import gevent


def win():
    return 'You win!'


def fail():
    raise Exception('You fail at failing.')


winner = gevent.spawn(win)
loser = gevent.spawn(fail)
print(winner.started)  # True
print(loser.started)   # True

try:
    gevent.joinall([winner, loser])
except Exception:
    print('This will never be reached')

print(winner.value)  # 'You win!'
print(loser.value)   # None

print(winner.ready())  # True
print(loser.ready())   # True

print(winner.successful())  # True
print(loser.successful())   # False

# It is possible though to raise the exception again outside
# raise loser.exception
# or with
# loser.get()
print(loser.exception)  # You fail at failing.
