"""docker-py drives exec, wait and stop as Docker answers them: one Docker behaviour per test.

Run by io.berth.it.DockerPyTest with DOCKER_HOST pointing at a test berthd that has busybox:latest.
"""
import socket
import time
import unittest

import docker
import docker.errors


class ExecAttachTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(version="1.43")
        cls.api = cls.client.api

    def run_detached(self, name, command, **kwargs):
        c = self.client.containers.run("busybox", command, name=name, detach=True, **kwargs)
        self.addCleanup(lambda: c.remove(force=True))
        return c

    def test_exec_framing_follows_the_start_requests_tty(self):
        c = self.run_detached("py-exec-framing", ["sleep", "60"])
        plain = self.api.exec_create(c.id, ["sh", "-c", "echo hi"], tty=False)
        # started with a tty: one raw stream, no 8-byte frame headers
        self.assertEqual(self.api.exec_start(plain["Id"], tty=True), b"hi\n")

    def test_exec_of_a_missing_or_unexecutable_command_is_126(self):
        c = self.run_detached("py-exec-missing", ["sleep", "60"])
        for cmd, reason in ((["nosuch"], b'exec: "nosuch": executable file not found in $PATH'),
                            (["/etc/passwd"], b'exec: "/etc/passwd": permission denied')):
            e = self.api.exec_create(c.id, cmd)
            out = self.api.exec_start(e["Id"])
            self.assertIn(b"OCI runtime exec failed: exec failed: unable to start container process: " + reason, out)
            info = self.api.exec_inspect(e["Id"])
            self.assertEqual(info["ExitCode"], 126)
            self.assertFalse(info["Running"])
        # a command that exits 255 by itself is not a failure to start
        result = c.exec_run(["sh", "-c", "exit 255"])
        self.assertEqual(result.exit_code, 255)

    def test_wait_returns_when_a_restart_always_container_stops(self):
        c = self.run_detached("py-wait-always", ["sh", "-c", "sleep 1; exit 3"], restart_policy={"Name": "always"})
        started = time.monotonic()
        self.assertEqual(c.wait(timeout=30, condition="not-running")["StatusCode"], 3)
        self.assertLess(time.monotonic() - started, 20)
        # next-exit: the next run's exit, the restart policy still bringing it back
        self.assertEqual(c.wait(timeout=30, condition="next-exit")["StatusCode"], 3)

    def test_wait_condition_removed_and_a_bad_condition(self):
        c = self.client.containers.create("busybox", ["true"], name="py-wait-removed")
        self.addCleanup(lambda: self.client.api.remove_container(c.id, force=True) if self.exists(c.id) else None)
        with self.assertRaises(docker.errors.APIError) as bad:
            c.wait(condition="sometime")
        self.assertEqual(bad.exception.status_code, 400)
        import threading
        result = {}
        waiter = threading.Thread(target=lambda: result.update(c.wait(timeout=30, condition="removed")))
        waiter.start()
        time.sleep(0.5)
        self.assertNotIn("StatusCode", result)
        c.remove()
        waiter.join(30)
        self.assertEqual(result.get("StatusCode"), 0)

    def test_attach_with_stdin_alone_stays_open_until_the_input_ends(self):
        c = self.client.containers.create("busybox", ["sh", "-c", "cat; echo end"], name="py-attach-stdin",
                                          stdin_open=True)
        self.addCleanup(lambda: c.remove(force=True))
        c.start()
        sock = self.api.attach_socket(c.id, params={"stdin": 1, "stream": 1})
        raw = sock._sock if hasattr(sock, "_sock") else sock
        self.addCleanup(raw.close)
        raw.settimeout(1.5)
        # no output was asked for and the input goes on: the attach stays
        with self.assertRaises(socket.timeout):
            raw.recv(1)
        raw.settimeout(30)
        raw.sendall(b"from docker-py\n")
        raw.shutdown(socket.SHUT_WR)
        # the end of the input reaches the container, and the attach ends
        self.assertEqual(raw.recv(1), b"")
        self.assertEqual(c.wait(timeout=30)["StatusCode"], 0)
        self.assertEqual(c.logs(), b"from docker-py\nend\n")

    def test_attach_for_logs_without_stream_returns_what_was_logged(self):
        c = self.run_detached("py-attach-logs", ["sh", "-c", "echo one; echo two >&2; sleep 60"])
        deadline = time.monotonic() + 20
        while b"two" not in c.logs() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(c.attach(stdout=True, stderr=True, logs=True, stream=False), b"one\ntwo\n")
        c.reload()
        self.assertEqual(c.status, "running")

    def test_detach_keys_end_an_attach_to_a_terminal_and_the_container_runs_on(self):
        c = self.run_detached("py-detach", ["sh"], stdin_open=True, tty=True)
        # Docker's default ctrl-p,ctrl-q, then keys of the client's choosing; each time the shell still takes input
        for n, (params, keys) in enumerate((({}, b"\x10\x11"), ({"detachKeys": "ctrl-a,x"}, b"\x01x"))):
            raw = self.attach_raw(c.id, stdin=1, stdout=1, stream=1, **params)
            raw.sendall(b"echo $((40+%d))\n" % n)
            self.read_until(raw, b"%d\r\n" % (40 + n))
            raw.sendall(keys)
            self.read_until_closed(raw)
            c.reload()
            self.assertEqual(c.status, "running")
        with self.assertRaises(docker.errors.APIError) as bad:
            self.attach_raw(c.id, stdin=1, stdout=1, stream=1, detachKeys="ctrl-1")
        self.assertEqual(bad.exception.status_code, 400)
        self.assertIn("Invalid detach keys (ctrl-1) provided", str(bad.exception))

    def test_detach_keys_end_an_exec_on_a_terminal_and_the_process_runs_on(self):
        c = self.run_detached("py-exec-detach", ["sleep", "600"])
        for keys, typed in ((None, b"\x10\x11"), ("ctrl-x", b"\x18")):
            e = self.api.exec_create(c.id, ["sh"], stdin=True, tty=True, detach_keys=keys)
            sock = self.api.exec_start(e["Id"], tty=True, socket=True)
            raw = sock._sock if hasattr(sock, "_sock") else sock
            self.addCleanup(raw.close)
            raw.settimeout(30)
            raw.sendall(b"echo $((6*8))\n")
            self.read_until(raw, b"48\r\n")
            raw.sendall(typed)
            self.read_until_closed(raw)
            self.assertTrue(self.api.exec_inspect(e["Id"])["Running"])
        with self.assertRaises(docker.errors.APIError) as bad:
            self.api.exec_create(c.id, ["sh"], stdin=True, tty=True, detach_keys="ctrl-1")
        self.assertIn("Invalid escape keys (ctrl-1) provided", str(bad.exception))

    def attach_raw(self, cid, **params):
        sock = self.api.attach_socket(cid, params=params)
        raw = sock._sock if hasattr(sock, "_sock") else sock
        self.addCleanup(raw.close)
        raw.settimeout(30)
        return raw

    def read_until(self, raw, wanted):
        seen = b""
        while wanted not in seen:
            chunk = raw.recv(4096)
            self.assertNotEqual(chunk, b"", "the stream ended before %r; got %r" % (wanted, seen))
            seen += chunk
        return seen

    def read_until_closed(self, raw):
        while raw.recv(4096) != b"":
            pass

    def exists(self, cid):
        try:
            self.client.containers.get(cid)
            return True
        except docker.errors.NotFound:
            return False


if __name__ == "__main__":
    unittest.main()
