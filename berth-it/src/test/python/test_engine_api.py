"""docker-py (Debian's python3-docker) as a library user drives berthd: one Docker behaviour per test.

Run by io.berth.it.DockerPyTest with DOCKER_HOST pointing at a test berthd that has busybox:latest, and
BERTH_TEST_REGISTRY naming a loopback registry berthd can push to.
"""
import io
import os
import tarfile
import time
import unittest

import docker
import docker.errors


class EngineApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(version="1.43")

    def run_detached(self, name, command):
        c = self.client.containers.run("busybox", command, name=name, detach=True)
        self.addCleanup(lambda: c.remove(force=True))
        return c

    def wait_for_file(self, container, path):
        for _ in range(100):
            if container.exec_run(["test", "-e", path]).exit_code == 0:
                return
            time.sleep(0.1)
        self.fail(path + " never appeared")

    def test_diff_reports_kinds_as_docker(self):
        c = self.run_detached("py-diff", ["sh", "-c", "echo x > /tmp/added; rm /bin/vi; sleep 60"])
        self.wait_for_file(c, "/tmp/added")
        changes = {d["Path"]: d["Kind"] for d in c.diff()}
        self.assertEqual(changes["/tmp/added"], 1)
        self.assertEqual(changes["/bin/vi"], 2)
        self.assertEqual(changes["/tmp"], 0)

    def test_commit_with_changes_author_and_message(self):
        c = self.run_detached("py-commit", ["sh", "-c", "echo data > /data; sleep 60"])
        self.wait_for_file(c, "/data")
        image = c.commit(repository="py-committed", tag="1", message="from python", author="py",
                         changes=["CMD [\"cat\", \"/data\"]", "ENV K=v"])
        self.addCleanup(lambda: self.client.images.remove(image.id, force=True))
        self.assertEqual(image.attrs["Author"], "py")
        self.assertEqual(image.attrs["Comment"], "from python")
        self.assertIn("K=v", image.attrs["Config"]["Env"])
        run = self.client.containers.run("py-committed:1", detach=True)
        self.addCleanup(lambda: run.remove(force=True))
        self.assertEqual(run.wait()["StatusCode"], 0)
        self.assertEqual(run.logs(), b"data\n")

    def test_export_streams_the_root_as_a_tar(self):
        c = self.client.containers.create("busybox", ["true"], name="py-export")
        self.addCleanup(lambda: c.remove(force=True))
        data = b"".join(c.export())
        names = tarfile.open(fileobj=io.BytesIO(data)).getnames()
        self.assertIn("bin/busybox", names)
        self.assertIn("etc/passwd", names)

    def test_update_changes_limits_and_restart_policy(self):
        c = self.run_detached("py-update", ["sleep", "600"])
        answer = c.update(mem_limit="80m", memswap_limit="160m", cpu_quota=50000, cpu_period=100000,
                          restart_policy={"Name": "always"})
        self.assertIn("Warnings", answer)
        c.reload()
        host = c.attrs["HostConfig"]
        self.assertEqual(host["Memory"], 80 * 1024 * 1024)
        self.assertEqual(host["MemorySwap"], 160 * 1024 * 1024)
        # kept as sent, as Docker does (NanoCpus stays 0)
        self.assertEqual((host["CpuQuota"], host["CpuPeriod"], host["NanoCpus"]), (50000, 100000, 0))
        self.assertEqual(host["RestartPolicy"]["Name"], "always")
        with self.assertRaises(docker.errors.APIError) as refused:
            c.update(kernel_memory="64m")
        self.assertEqual(refused.exception.status_code, 400)
        self.assertIn("KernelMemory", str(refused.exception))

    def test_prunes_answer_what_they_reclaimed(self):
        self.client.containers.run("busybox", ["true"], name="py-prune-me")
        stopped = self.client.containers.get("py-prune-me").id
        result = self.client.containers.prune()
        self.assertIn("SpaceReclaimed", result)
        self.assertIn(stopped, result["ContainersDeleted"])
        for answer in (self.client.images.prune(), self.client.volumes.prune(), self.client.api.prune_builds()):
            self.assertIn("SpaceReclaimed", answer)
            self.assertIsInstance(answer["SpaceReclaimed"], int)

    def test_registry_data_comes_from_the_registry(self):
        ref = os.environ["BERTH_TEST_REGISTRY"] + "/py/busybox:1"
        self.client.images.get("busybox").tag(ref)
        for line in self.client.images.push(ref, stream=True, decode=True):
            self.assertNotIn("error", line)
        data = self.client.images.get_registry_data(ref)
        self.assertTrue(data.id.startswith("sha256:"))
        self.assertTrue(data.has_platform("linux"))

    def test_search_without_an_index_is_a_server_error(self):
        with self.assertRaises(docker.errors.APIError) as failed:
            self.client.images.search("busybox")
        self.assertEqual(failed.exception.status_code, 500)
        self.assertIn("index.docker.io", str(failed.exception))

    def test_plugins_list_is_empty_and_install_is_refused(self):
        self.assertEqual(self.client.plugins.list(), [])
        with self.assertRaises(docker.errors.APIError):
            self.client.plugins.install("vieux/sshfs")

    def test_image_save_through_the_api(self):
        data = b"".join(self.client.images.get("busybox").save())
        names = tarfile.open(fileobj=io.BytesIO(data)).getnames()
        self.assertIn("manifest.json", names)


if __name__ == "__main__":
    unittest.main()
