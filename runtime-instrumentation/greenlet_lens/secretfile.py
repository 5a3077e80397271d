"""Where `listen` keeps what must stay private: its secret and its temporary
trace, in a folder only this user can enter (docs/security.md).

The folder is $TMPDIR/greenlet-lens-UID, created 0700; one that exists must
be a real folder of this user that nobody else can enter, else `listen`
refuses to start. Files are created with O_EXCL|O_NOFOLLOW, mode 0600, and an
existing file is reused only when the opened file is this user's private
secret file. A small watcher process removes the files when the program
ends, however it ends (a signal, kill -9).
"""
import os
import re
import stat
import tempfile

from . import fds

_SECRET = re.compile(rb"\A[0-9a-f]{64}\n?\Z")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Unsafe(OSError):
    pass


def private_dir():
    """$TMPDIR/greenlet-lens-UID, made or checked."""
    uid = os.geteuid()
    path = os.path.join(tempfile.gettempdir(), "greenlet-lens-%d" % uid)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    if st.st_uid != uid or st.st_mode & 0o077:
        raise Unsafe(0, "%s belongs to user id %d with mode %04o; it must be yours and private (0700). "
                        "Remove it and start again." % (path, st.st_uid, stat.S_IMODE(st.st_mode)))
    return path


def default_secret_path(port):
    return os.path.join(private_dir(), "port-%d.secret" % port)


def _check_reusable(fd, path):
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise Unsafe(0, "refusing to write the secret into %s: it exists and is not a private file of yours "
                        "(mode %04o, owner %d)" % (path, stat.S_IMODE(st.st_mode), st.st_uid))
    data = os.pread(fd, 80, 0) if st.st_size <= 80 else b"x"
    if st.st_size and not _SECRET.match(data):
        raise Unsafe(0, "refusing to overwrite %s: it exists and is not a Greenlet Lens secret file" % path)


def write_secret(path, secret):
    """Creates path (0600) holding secret; an existing file is reused only
    when it is this user's private secret file. Never follows a symlink."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
    except FileExistsError:
        try:
            fd = os.open(path, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
        except OSError as e:
            raise Unsafe(0, "refusing to write the secret into %s: %s" % (path, e.strerror or e))
        try:
            _check_reusable(fd, path)
            os.ftruncate(fd, 0)
        except BaseException:
            os.close(fd)
            raise
    try:
        os.write(fd, secret.encode("ascii"))
    finally:
        os.close(fd)


def create_private(path):
    """A new file only this user can read (for the temporary trace)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
    os.close(fd)


def remove_at_exit(paths):
    """Starts a watcher, outside this process and its session, that removes
    paths once this process (and any fork of it) has gone. Returns the
    descriptor it watches, to be kept open; None if no watcher could start."""
    spawn = getattr(os, "posix_spawn", None)
    if spawn is None or not os.path.exists("/bin/sh"):
        return None
    r, w = os.pipe()
    try:
        # The outer shell starts the watcher in the background and exits: the
        # watcher is nobody's child here, so the program's os.wait() never sees it.
        # (On descriptor 3: a background job's standard input is /dev/null.)
        script = '( read _ignored <&3; rm -f -- "$@" ) & exit 0'
        pid = spawn("/bin/sh", ["/bin/sh", "-c", script, "sh"] + list(paths), dict(os.environ),
                    file_actions=[(os.POSIX_SPAWN_DUP2, r, 3),
                                  (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                  (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                  (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
                    setsid=True)
    except OSError:
        os.close(w)
        return None
    finally:
        os.close(r)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass  # reaped by a SIGCHLD handler (gevent's child watcher) first
    return fds.move_high(w)


def read_secret(path):
    """The secret in path, a private file of this user's holding only a
    secret (a spawned child of a live session reads its session's here)."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    try:
        st = os.fstat(fd)
        data = os.pread(fd, 81, 0)
    finally:
        os.close(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077 or not _SECRET.match(data):
        raise Unsafe(0, "%s is not a private secret file of yours" % path)
    return data.decode("ascii").strip()
