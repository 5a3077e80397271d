"""The runtime's own file descriptors, kept out of the program's way.

Each one (the trace file, the debugger's connection, the listening socket)
is close-on-exec and moved high up the descriptor table, where a program's
own open() does not land. A daemonizing program closes them all the same
(os.closerange), and may then open a file that gets the same number: so each
is remembered by its (device, inode) and checked before use. A descriptor
that is no longer ours is never written to, read from or closed again.
"""
import os

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None


def _floor():
    """Where our descriptors go: just under the usual 1024 select() limit,
    or lower when the limit on open files is smaller."""
    soft = 1024
    try:
        import resource
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if limit != resource.RLIM_INFINITY and limit > 0:
            soft = limit
    except Exception:
        pass
    return max(3, min(soft, 1024) - 64)


def move_high(fd):
    """A close-on-exec duplicate of fd, numbered high; fd itself is closed."""
    if fcntl is None:
        return fd
    try:
        new = fcntl.fcntl(fd, getattr(fcntl, "F_DUPFD_CLOEXEC", 1030), _floor())
    except (OSError, ValueError):
        try:
            os.set_inheritable(fd, False)
        except OSError:
            pass
        return fd
    os.close(fd)
    return new


def identity(fd):
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino)


def still_ours(fd, ident):
    """False once fd was closed under us, or its number now names another file."""
    try:
        return identity(fd) == ident
    except OSError:
        return False
