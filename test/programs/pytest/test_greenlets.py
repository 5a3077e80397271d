"""Tests for the Greenlet Lens pytest plugin (test/integration/pytest-plugin.test.ts runs them)."""
import gevent
import pytest
from gevent.queue import Queue


def worker_raises():
    gevent.sleep(0.005)
    raise ValueError("nobody sees me")


def test_clean():
    g = gevent.spawn(lambda: 6 * 7)
    assert g.get() == 42


def test_leaks_a_poller():
    def poller():
        while True:
            gevent.sleep(10)  # POLLER
    gevent.spawn(poller)
    gevent.sleep(0.01)


def test_never_starts_a_greenlet():
    gevent.spawn(print, "never printed")


def test_leaves_an_exception_unobserved():
    gevent.spawn(worker_raises)
    gevent.sleep(0.02)


def test_observes_an_exception_with_get():
    g = gevent.spawn(worker_raises)
    with pytest.raises(ValueError):
        g.get()


def test_get_after_the_end_raises_it_again():
    g = gevent.spawn(worker_raises)
    gevent.sleep(0.02)
    with pytest.raises(ValueError):
        g.get()


def test_fails_by_itself():
    q = Queue()
    q.put(1)
    assert q.get() == 2


@pytest.fixture
def server():
    g = gevent.spawn(gevent.sleep, 10)
    yield g
    g.kill()


def test_fixture_cleans_up_in_teardown(server):
    gevent.sleep(0.01)
    assert not server.dead
