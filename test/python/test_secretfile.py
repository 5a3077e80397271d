"""secretfile.read_secret: a spawned child of a live session takes its
session's secret only from a private secret file of this user's."""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import secretfile  # noqa: E402

SECRET = "ab" * 32


class ReadSecret(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "children.secret")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_written_secret_reads_back(self):
        secretfile.write_secret(self.path, SECRET)
        self.assertEqual(oct(os.stat(self.path).st_mode & 0o777), "0o600")
        self.assertEqual(secretfile.read_secret(self.path), SECRET)

    def test_refuses_a_file_others_can_read(self):
        secretfile.write_secret(self.path, SECRET)
        os.chmod(self.path, 0o644)
        with self.assertRaises(secretfile.Unsafe):
            secretfile.read_secret(self.path)

    def test_refuses_what_is_not_a_secret(self):
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, b"not a secret\n")
        os.close(fd)
        with self.assertRaises(secretfile.Unsafe):
            secretfile.read_secret(self.path)

    def test_never_follows_a_symlink(self):
        target = os.path.join(self.dir, "real.secret")
        secretfile.write_secret(target, SECRET)
        os.symlink(target, self.path)
        with self.assertRaises(OSError):
            secretfile.read_secret(self.path)


if __name__ == "__main__":
    unittest.main()
