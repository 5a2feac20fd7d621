"""docker-py reads containers' logs as a library user does: one Docker behaviour per test.

Run by io.berth.it.DockerPyTest with DOCKER_HOST pointing at a test berthd that has busybox:latest.
"""
import unittest

import docker
import docker.errors
from docker.types import LogConfig


class LogsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(version="1.43")

    def test_run_returns_the_output(self):
        # docker-py reads the logs of a json-file container (the default driver) after it exits
        out = self.client.containers.run("busybox", ["sh", "-c", "echo hello; echo world"], remove=True)
        self.assertEqual(out, b"hello\nworld\n")

    def test_run_of_a_failing_container_raises_with_its_stderr(self):
        with self.assertRaises(docker.errors.ContainerError) as caught:
            self.client.containers.run("busybox", ["sh", "-c", "echo broken >&2; exit 3"], remove=True)
        self.assertEqual(caught.exception.exit_status, 3)
        self.assertEqual(caught.exception.stderr, b"broken\n")

    def test_logs_of_each_readable_driver(self):
        for driver in ["json-file", "local", "k8s-file"]:
            with self.subTest(driver=driver):
                c = self.client.containers.run("busybox", ["echo", driver], detach=True,
                                               log_config=LogConfig(type=driver, config={}))
                self.addCleanup(lambda c=c: c.remove(force=True))
                self.assertEqual(c.wait()["StatusCode"], 0)
                self.assertEqual(c.logs(), driver.encode() + b"\n")
                c.reload()
                self.assertEqual(c.attrs["HostConfig"]["LogConfig"]["Type"], driver)

    def test_logs_with_the_none_driver_is_docker_s_error(self):
        c = self.client.containers.run("busybox", ["echo", "x"], detach=True, log_config=LogConfig(type="none"))
        self.addCleanup(lambda: c.remove(force=True))
        c.wait()
        with self.assertRaises(docker.errors.APIError) as caught:
            c.logs()
        self.assertEqual(caught.exception.status_code, 501)
        self.assertIn("configured logging driver does not support reading", str(caught.exception))

    def test_rotation_options_are_shown_as_given(self):
        c = self.client.containers.create("busybox", ["true"],
                                          log_config=LogConfig(type="json-file", config={"max-size": "10m", "max-file": "3"}))
        self.addCleanup(lambda: c.remove(force=True))
        self.assertEqual(c.attrs["HostConfig"]["LogConfig"], {"Type": "json-file", "Config": {"max-size": "10m", "max-file": "3"}})

    def test_an_unknown_driver_is_refused_at_create(self):
        with self.assertRaises(docker.errors.APIError) as caught:
            self.client.containers.create("busybox", ["true"], log_config=LogConfig(type="fluentd"))
        self.assertEqual(caught.exception.status_code, 400)
        self.assertIn("fluentd", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
