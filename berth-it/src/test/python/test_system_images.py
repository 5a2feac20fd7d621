"""docker-py as a library user reads berthd's system facts, disk usage, prunes, load and pull errors and builds.

Run by io.berth.it.DockerPyTest with DOCKER_HOST pointing at a test berthd that has busybox:latest, and
BERTH_TEST_REGISTRY naming a loopback registry. One Docker behaviour per test.
"""
import calendar
import io
import os
import tarfile
import time
import unittest

import docker
import docker.errors

# The keys of dockerd 20.10's GET /info (Engine API v1.41 SystemInfo); clients index them without checking.
DOCKERD_20_10_INFO_KEYS = [
    "ID", "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images", "Driver",
    "DriverStatus", "Plugins", "MemoryLimit", "SwapLimit", "KernelMemory", "KernelMemoryTCP", "CpuCfsPeriod",
    "CpuCfsQuota", "CPUShares", "CPUSet", "PidsLimit", "IPv4Forwarding", "BridgeNfIptables", "BridgeNfIp6tables",
    "Debug", "NFd", "OomKillDisable", "NGoroutines", "SystemTime", "LoggingDriver", "CgroupDriver", "CgroupVersion",
    "NEventsListener", "KernelVersion", "OperatingSystem", "OSVersion", "OSType", "Architecture",
    "IndexServerAddress", "RegistryConfig", "NCPU", "MemTotal", "GenericResources", "DockerRootDir", "HttpProxy",
    "HttpsProxy", "NoProxy", "Name", "Labels", "ExperimentalBuild", "ServerVersion", "Runtimes", "DefaultRuntime",
    "Swarm", "LiveRestoreEnabled", "Isolation", "InitBinary", "ContainerdCommit", "RuncCommit", "InitCommit",
    "SecurityOptions", "Warnings",
]


def tar_of(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


class SystemImagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(version="1.43")

    def build(self, dockerfile, tag, **kwargs):
        image, _ = self.client.images.build(fileobj=tar_of({"Dockerfile": dockerfile}), custom_context=True,
                                            tag=tag, **kwargs)
        self.addCleanup(self.remove_image, image.id)
        return image

    def remove_image(self, image_id):
        try:
            self.client.images.remove(image_id, force=True)
        except docker.errors.NotFound:
            pass  # a prune under test removed it

    def test_info_has_every_key_of_dockerd_20_10(self):
        info = self.client.info()
        missing = [k for k in DOCKERD_20_10_INFO_KEYS if k not in info]
        self.assertEqual(missing, [])
        self.assertEqual(info["Swarm"]["LocalNodeState"], "inactive")
        self.assertIn(info["DefaultRuntime"], info["Runtimes"])
        self.assertIs(info["Debug"], False)
        self.assertIs(info["ExperimentalBuild"], False)
        self.assertGreater(info["NCPU"], 0)
        self.assertGreater(info["MemTotal"], 0)
        self.assertEqual(info["OSType"], "linux")
        self.assertEqual(info["Architecture"], os.uname().machine)
        self.assertEqual(info["KernelVersion"], os.uname().release)
        self.assertNotEqual(info["ID"], "berth")
        self.assertEqual(self.client.info()["ID"], info["ID"])

    def test_version_reports_the_architecture_and_components(self):
        version = self.client.version()
        arch = {"x86_64": "amd64", "aarch64": "arm64"}[os.uname().machine]
        self.assertEqual(version["Arch"], arch)
        engine = [c for c in version["Components"] if c["Name"] == "Engine"][0]
        self.assertEqual(engine["Details"]["Arch"], arch)
        self.assertEqual(engine["Details"]["Os"], "linux")
        names = [c["Name"] for c in version["Components"]]
        self.assertIn("conmon", names)

    def test_df_counts_shared_layers_once_and_reports_sizes(self):
        self.build("FROM busybox\nLABEL py-df=1\n", "py-df:1")
        self.build("FROM busybox\nRUN echo x > /x\n", "py-df:2")
        c = self.client.containers.run("busybox", ["sh", "-c", "head -c 200000 /dev/zero > /blob"], name="py-df-c",
                                       detach=True)
        self.addCleanup(lambda: c.remove(force=True))
        c.wait()
        df = self.client.df()
        images = {i["Id"]: i for i in df["Images"]}
        busybox = self.client.images.get("busybox").id
        self.assertLess(df["LayersSize"], sum(i["Size"] for i in df["Images"]))
        self.assertGreater(images[busybox]["SharedSize"], 0)
        self.assertGreaterEqual(images[busybox]["Containers"], 1)
        mine = [x for x in df["Containers"] if x["Id"] == c.id][0]
        self.assertGreaterEqual(mine["SizeRw"], 200000)
        self.assertGreater(mine["SizeRootFs"], mine["SizeRw"])
        self.assertTrue(any(e["Description"].endswith("echo x > /x") for e in df["BuildCache"]))
        listed = self.client.api.containers(all=True, size=True, filters={"name": "py-df-c"})[0]
        self.assertEqual(listed["SizeRw"], mine["SizeRw"])

    def test_image_prune_applies_label_filters(self):
        keep = self.build("FROM busybox\nLABEL py-prune=keep\n", None)
        drop = self.build("FROM busybox\nLABEL py-prune=drop\n", None)
        other = self.build("FROM busybox\nLABEL py-prune=other\n", None)
        result = self.client.images.prune(filters={"dangling": False, "label": "py-prune=drop"})
        deleted = [d.get("Deleted") for d in result["ImagesDeleted"] or []]
        self.assertEqual(deleted, [drop.id])
        result = self.client.images.prune(filters={"dangling": False, "label": "py-prune", "label!": "py-prune=keep"})
        deleted = [d.get("Deleted") for d in result["ImagesDeleted"] or []]
        self.assertEqual(deleted, [other.id])
        self.assertEqual(self.client.images.get(keep.id).id, keep.id)
        with self.assertRaises(docker.errors.APIError) as refused:
            self.client.images.prune(filters={"colour": "red"})
        self.assertEqual(refused.exception.status_code, 400)
        self.assertIn("colour", str(refused.exception))

    def test_container_prune_applies_label_filters_and_reports_space(self):
        keep = self.client.containers.run("busybox", ["true"], labels={"py-cprune": "keep"}, detach=True)
        self.addCleanup(lambda: keep.remove(force=True))
        drop = self.client.containers.run("busybox", ["sh", "-c", "head -c 100000 /dev/zero > /f"],
                                          labels={"py-cprune": "drop"}, detach=True)
        keep.wait()
        drop.wait()
        result = self.client.containers.prune(filters={"label": "py-cprune=drop"})
        self.assertEqual(result["ContainersDeleted"], [drop.id])
        self.assertGreaterEqual(result["SpaceReclaimed"], 100000)
        result = self.client.containers.prune(filters={"label!": "py-cprune=keep", "label": "py-cprune"})
        self.assertIsNone(result["ContainersDeleted"])

    def test_load_reports_a_bad_archive_in_the_stream(self):
        with self.assertRaises(docker.errors.ImageLoadError):
            self.client.images.load(b"this is not a tar archive" * 40)

    def test_load_streams_what_it_loaded(self):
        data = b"".join(self.client.images.get("busybox").save())
        loaded = self.client.images.load(data)
        self.assertEqual([i.id for i in loaded], [self.client.images.get("busybox").id])

    def test_pull_of_a_missing_repository_is_an_http_404(self):
        with self.assertRaises(docker.errors.NotFound):
            self.client.api.pull(os.environ["BERTH_TEST_REGISTRY"] + "/py/does-not-exist", tag="1")

    def test_build_time_is_created_unless_source_date_epoch(self):
        before = time.time()
        fresh = self.build("FROM busybox\nRUN echo created > /c\n", "py-created:1", nocache=True)
        created = fresh.attrs["Created"]
        stamp = calendar.timegm(time.strptime(created[:19], "%Y-%m-%dT%H:%M:%S"))
        self.assertLessEqual(abs(stamp - before), 300, created)
        pinned = self.build("FROM busybox\nRUN echo pinned > /c\n", "py-created:2", nocache=True,
                            buildargs={"SOURCE_DATE_EPOCH": "1700000000"})
        self.assertEqual(pinned.attrs["Created"], "2023-11-14T22:13:20Z")

    def test_build_with_a_missing_dockerfile_is_an_http_500(self):
        with self.assertRaises(docker.errors.APIError) as failed:
            list(self.client.api.build(fileobj=tar_of({"file": "x"}), custom_context=True, dockerfile="Nope"))
        self.assertEqual(failed.exception.status_code, 500)
        self.assertIn("Nope", str(failed.exception))

    def test_build_extra_hosts_and_shm_size_reach_the_run_containers(self):
        image = self.build("FROM busybox\nRUN grep h.local /etc/hosts > /hosts && df -k /dev/shm | tail -n 1 > /shm\n",
                           "py-runopts:1", extra_hosts={"h.local": "10.0.0.1"}, shmsize=96 * 1024 * 1024)
        out = self.client.containers.run(image.id, ["cat", "/hosts", "/shm"], remove=True).decode()
        self.assertEqual(out.splitlines()[0], "10.0.0.1\th.local")
        self.assertEqual(out.splitlines()[1].split()[1], "98304")
        with self.assertRaises(docker.errors.APIError) as refused:
            list(self.client.api.build(fileobj=tar_of({"Dockerfile": "FROM busybox\n"}), custom_context=True, shmsize=-1))
        self.assertEqual(refused.exception.status_code, 400)
        self.assertIn("SHM size can not be less than 0", str(refused.exception))

if __name__ == "__main__":
    unittest.main()
