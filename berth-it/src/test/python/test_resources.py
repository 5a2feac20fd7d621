"""docker-py (Debian's python3-docker) sets resource limits as a library user would; berthd applies them.

Run by io.berth.it.ContainerResourcesTest with DOCKER_HOST pointing at a test berthd that has busybox:latest.
"""
import unittest

import docker
import docker.errors
import docker.types


class ResourcesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(version="1.43")

    def test_run_applies_the_limits_inside_the_container(self):
        # detached, then wait and logs: run() returns the output only for json-file logs, which berth has not yet
        c = self.client.containers.run(
            "busybox",
            ["sh", "-c", "cat /proc/1/oom_score_adj /proc/sys/kernel/msgmax /sys/fs/cgroup/memory/memory.soft_limit_in_bytes"
             " /sys/fs/cgroup/memory/memory.swappiness; grep 'open files' /proc/1/limits; df -k /dev/shm | tail -1"],
            detach=True, mem_limit="64m", mem_reservation="16m", mem_swappiness=20, oom_score_adj=100,
            cpuset_cpus="0", shm_size="16m", sysctls={"kernel.msgmax": "4096"},
            ulimits=[docker.types.Ulimit(name="nofile", soft=300, hard=400)])
        self.addCleanup(lambda: c.remove(force=True))
        self.assertEqual(c.wait()["StatusCode"], 0)
        out = c.logs()
        lines = [" ".join(l.split()) for l in out.decode().splitlines()]
        self.assertEqual(lines, ["100", "4096", "16777216", "20", "Max open files 300 400 files",
                                 "shm 16384 0 16384 0% /dev/shm"])

    def test_inspect_shows_what_was_applied(self):
        c = self.client.containers.create("busybox", "true", cpu_period=50000, cpu_quota=25000, oom_kill_disable=True,
                                          mem_limit="32m", cpuset_mems="0")
        self.addCleanup(lambda: c.remove(force=True))
        host = c.attrs["HostConfig"]
        self.assertEqual((host["CpuPeriod"], host["CpuQuota"], host["OomKillDisable"], host["CpusetMems"], host["MemorySwap"]),
                         (50000, 25000, True, "0", 64 * 1024 * 1024))

    def test_update_changes_a_running_containers_limits(self):
        c = self.client.containers.run("busybox", ["sleep", "60"], detach=True, mem_limit="64m")
        self.addCleanup(lambda: c.remove(force=True))
        c.update(cpuset_cpus="1", mem_reservation="24m")
        out = c.exec_run(["sh", "-c", "cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes; grep Cpus_allowed_list /proc/1/status"])
        self.assertEqual(out.output.decode().split(), ["25165824", "Cpus_allowed_list:", "1"])

    def test_a_limit_out_of_range_is_a_400_in_dockers_words(self):
        with self.assertRaises(docker.errors.APIError) as e:
            self.client.containers.create("busybox", "true", oom_score_adj=2000)
        self.assertEqual(e.exception.status_code, 400)
        self.assertIn("Invalid value 2000, range for oom score adj is [-1000, 1000]", str(e.exception))
        with self.assertRaises(docker.errors.APIError) as e:
            self.client.containers.create("busybox", "true", sysctls={"kernel.domainname": "x"})
        self.assertIn("sysctl 'kernel.domainname' is not allowed", str(e.exception))


if __name__ == "__main__":
    unittest.main()
