package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

/** Namespace modes, host devices, device cgroup rules and added groups as config.json gets them. */
class NamespacesAndDevicesTest {
    private static final String ID = PureLogicTest.ID;
    private static final String OTHER = "cd".repeat(32);
    private static final ContainerPaths PATHS = ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID);

    private static ContainerSpec.Builder spec() {
        return PureLogicTest.spec(Resources.UNLIMITED, "", false, false).toBuilder();
    }

    private static JsonNode config(ContainerSpec spec, StepRun run, boolean cgroupV2) {
        OciConfig.Host h = PureLogicTest.host();
        OciConfig.Host host = new OciConfig.Host(h.nofileHard(), h.capBounding(), cgroupV2, h.initBinary(), h.arch(), h.kernel());
        return OciConfig.build(spec, PATHS, new ResolvedUser(0, 0, List.of(), "/root"), host, run);
    }

    private static JsonNode config(ContainerSpec spec) {
        return config(spec, new StepRun(null), false);
    }

    private static List<String> types(JsonNode c) {
        List<String> out = new ArrayList<>();
        c.at("/linux/namespaces").forEach(n -> out.add(n.path("type").asText()));
        return out;
    }

    private static JsonNode mountAt(JsonNode c, String destination) {
        for (JsonNode m : c.path("mounts")) {
            if (m.path("destination").asText().equals(destination)) return m;
        }
        return null;
    }

    @Test
    void defaultsAreDockersPerCgroupVersion() {
        ContainerSpec s = spec().build();
        assertThat(types(config(s, new StepRun(null), false))).containsExactly("pid", "network", "ipc", "uts", "mount");
        assertThat(types(config(s, new StepRun(null), true))).containsExactly("pid", "network", "ipc", "uts", "mount", "cgroup");
        assertThat(config(s).path("hostname").asText()).isEqualTo(ID.substring(0, 12));
        assertThat(mountAt(config(s), "/dev/shm").path("type").asText()).isEqualTo("tmpfs");
    }

    @Test
    void hostModesDropTheNamespaceAndPrivateCgroupAddsOne() {
        ContainerSpec s = spec().namespaces(new NamespacesSpec("host", "host", "host", "private")).build();
        JsonNode c = config(s);
        assertThat(types(c)).containsExactly("network", "mount", "cgroup");
        // no UTS namespace of its own: the runtime must not be asked to set a hostname
        assertThat(c.has("hostname")).isFalse();
        assertThat(mountAt(c, "/dev/shm").path("source").asText()).isEqualTo("/dev/shm");
        assertThat(types(config(spec().namespaces(new NamespacesSpec("", "private", "", "host")).build(), new StepRun(null), true)))
                .doesNotContain("cgroup");
    }

    @Test
    void containerModesJoinThePathsTheStepFound() {
        ContainerSpec s = spec().namespaces(new NamespacesSpec("container:" + OTHER, "container:" + OTHER, "", "")).build();
        StepRun run = new StepRun(null);
        run.joinNamespace("pid", Path.of("/proc/7/ns/pid"));
        run.joinNamespace("ipc", Path.of("/proc/7/ns/ipc"));
        run.shareDevShm(Path.of("/run/berth/exec/containers/" + OTHER + "/shm"));
        JsonNode c = config(s, run, false);
        assertThat(c.at("/linux/namespaces/0").toString()).isEqualTo("{\"type\":\"pid\",\"path\":\"/proc/7/ns/pid\"}");
        assertThat(c.at("/linux/namespaces/2").toString()).isEqualTo("{\"type\":\"ipc\",\"path\":\"/proc/7/ns/ipc\"}");
        assertThat(mountAt(c, "/dev/shm").path("source").asText()).endsWith(OTHER + "/shm");
        // never a namespace of its own in place of the one asked for
        assertThatThrownBy(() -> config(s)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ipcNoneHasNoDevShm() {
        assertThat(mountAt(config(spec().namespaces(new NamespacesSpec("", "none", "", "")).build()), "/dev/shm")).isNull();
    }

    @Test
    void devicesAndTheirCgroupRules() {
        ContainerSpec s = spec().deviceCgroupRules(List.of("c 1:3 rwm", "b *:* m", "a 7:* r")).build();
        StepRun run = new StepRun(null);
        run.addDevice(new HostDevices.LinuxDevice("/dev/mynull", "c", 1, 3, 0666, 0, 0), new DeviceCgroupRule("c", 1L, 3L, "r"));
        JsonNode c = config(s, run, false);
        assertThat(c.at("/linux/devices").toString())
                .isEqualTo("[{\"path\":\"/dev/mynull\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":438,\"uid\":0,\"gid\":0}]");
        JsonNode rules = c.at("/linux/resources/devices");
        List<String> tail = new ArrayList<>();
        for (int i = rules.size() - 4; i < rules.size(); i++) tail.add(rules.get(i).toString());
        assertThat(tail).containsExactly(
                "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"r\"}",
                "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}",
                "{\"allow\":true,\"type\":\"b\",\"access\":\"m\"}",
                "{\"allow\":true,\"type\":\"a\",\"major\":7,\"access\":\"r\"}");
    }

    @Test
    void privilegedGetsTheDevicesAndEveryDeviceIsAllowed() {
        ContainerSpec s = spec().privileged(true).deviceCgroupRules(List.of("c 1:3 r")).build();
        StepRun run = new StepRun(null);
        run.addDevice(new HostDevices.LinuxDevice("/dev/fuse", "c", 10, 229, 0600, 0, 0), null);
        JsonNode c = config(s, run, false);
        assertThat(c.at("/linux/devices/0/path").asText()).isEqualTo("/dev/fuse");
        assertThat(c.at("/linux/resources/devices").toString()).isEqualTo("[{\"allow\":true,\"access\":\"rwm\"}]");
        assertThat(c.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(c.at("/linux/readonlyPaths").isMissingNode()).isTrue();
        assertThat(c.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(mountAt(c, "/sys").path("options").toString()).contains("\"rw\"");
    }

    @Test
    void deviceCgroupRulesParseAsDockers() {
        assertThat(DeviceCgroupRule.parse("c 1:3 rwm")).isEqualTo(new DeviceCgroupRule("c", 1L, 3L, "rwm"));
        assertThat(DeviceCgroupRule.parse("a *:* m")).isEqualTo(new DeviceCgroupRule("a", null, null, "m"));
        for (String bad : List.of("c 1:3", "x 1:3 rwm", "c 1:3 rwx", "c 1 rwm", " c 1:3 rwm", "c 1:3 rwmr")) {
            assertThatThrownBy(() -> DeviceCgroupRule.parse(bad)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("invalid device cgroup rule format: '" + bad + "'");
        }
        assertThatThrownBy(() -> DeviceCgroupRule.parse("c 99999999999999999999:1 r"))
                .hasMessage("invalid major value in device cgroup rule format: 'c 99999999999999999999:1 r'");
    }

    @Test
    void hostDeviceNodesAreReadWithoutFollowingLinks(@TempDir Path tmp) throws Exception {
        assertThat(HostDevices.major((10 << 8) | 229)).isEqualTo(10);
        assertThat(HostDevices.minor((10 << 8) | 229)).isEqualTo(229);
        long big = (259L << 8) | (0x12345L & 0xff) | ((0x12345L & ~0xffL) << 12);
        assertThat(HostDevices.major(big)).isEqualTo(259);
        assertThat(HostDevices.minor(big)).isEqualTo(0x12345);
        assertThat(HostDevices.node(Path.of("/dev/null"), "/dev/mynull")).get()
                .extracting(HostDevices.LinuxDevice::path, HostDevices.LinuxDevice::type, HostDevices.LinuxDevice::major,
                        HostDevices.LinuxDevice::minor)
                .containsExactly("/dev/mynull", "c", 1L, 3L);
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("/dev/null"));
        assertThat(HostDevices.node(tmp.resolve("link"), "/x")).isEmpty();
        // a mapping's own path is followed when it is a symlink, as Docker does
        assertThat(HostDevices.of(new DeviceMapping(tmp.resolve("link").toString(), "/dev/n", "rwm")))
                .extracting(HostDevices.LinuxDevice::path).containsExactly("/dev/n");
        Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> HostDevices.of(new DeviceMapping(tmp.resolve("file").toString(), "/dev/f", "rwm")))
                .hasMessage("error gathering device information while adding custom device \"" + tmp.resolve("file") + "\": not a device node");
        assertThatThrownBy(() -> HostDevices.of(new DeviceMapping("/dev/no-such-device", "", "")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("error gathering device information while adding custom device \"/dev/no-such-device\": no such file or directory");
        // a directory stands for every device under it, at the same place under the container path
        Files.createDirectories(tmp.resolve("d/sub"));
        Files.createSymbolicLink(tmp.resolve("d/sub/null"), Path.of("/dev/null"));
        assertThatThrownBy(() -> HostDevices.of(new DeviceMapping(tmp.resolve("d").toString(), "/dev/d", "rwm")))
                .hasMessageEndingWith("not a device node");
    }

    @Test
    void privilegedDevicesAreTheHostsButConsoleAndTheContainersOwnDirectories() throws Exception {
        List<HostDevices.LinuxDevice> all = HostDevices.all(Path.of("/dev"));
        assertThat(all).extracting(HostDevices.LinuxDevice::path).contains("/dev/null", "/dev/zero")
                .doesNotContain("/dev/console").noneMatch(p -> p.startsWith("/dev/pts/") || p.startsWith("/dev/shm/"));
    }

    @Test
    void addedGroupsAreNamesFromTheRootfsOrNumbers(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nwheel:x:10:app\naudio:x:29:\n");
        assertThat(UserResolver.resolve(root, "", List.of("audio", "123", "29")).additionalGids()).containsExactly(29, 123);
        assertThat(UserResolver.resolve(root, "app", List.of("audio")).additionalGids()).containsExactly(10, 29);
        assertThatThrownBy(() -> UserResolver.resolve(root, "", List.of("video"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find group video: no matching entries in group file");
        assertThatThrownBy(() -> UserResolver.resolve(root, "", List.of("4294967296")))
                .hasMessage("uids and gids must be in range 0-2147483647");
    }

    private static Container container(String id, NamespacesSpec ns, ContainerState.Status status, int pid) {
        ContainerSpec s = ContainerSpec.builder(id).name("c-" + id.substring(0, 2)).args(List.of("sh")).namespaces(ns).build();
        return new Container(s, s.name(), new ContainerState(status, pid, 0, false, "", null, null), 0, "crun", 0, false,
                ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), id));
    }

    private static StepRun joinRun(NamespacesSpec joiner, Map<String, Container> others) {
        StepRun run = new StepRun(container(ID, joiner, ContainerState.Status.CREATED, 0));
        new NamespaceJoinStep(id -> {
            Container c = others.get(id);
            if (c == null) throw new NotFoundException("No such container: " + id);
            return c;
        }).setUp(run);
        return run;
    }

    @Test
    void joiningNeedsARunningAndForIpcAShareableContainer() {
        NamespacesSpec joinBoth = new NamespacesSpec("container:" + OTHER, "container:" + OTHER, "", "");
        Container shareable = container(OTHER, new NamespacesSpec("", "shareable", "", ""), ContainerState.Status.RUNNING, 42);
        StepRun run = joinRun(joinBoth, Map.of(OTHER, shareable));
        assertThat(run.joinedNamespace("pid")).contains(Path.of("/proc/42/ns/pid"));
        assertThat(run.joinedNamespace("ipc")).contains(Path.of("/proc/42/ns/ipc"));
        assertThat(run.sharedDevShm()).contains(Path.of("/run/berth/exec/containers/" + OTHER + "/shm"));

        Container host = container(OTHER, new NamespacesSpec("", "host", "", ""), ContainerState.Status.RUNNING, 42);
        assertThat(joinRun(joinBoth, Map.of(OTHER, host)).sharedDevShm()).contains(Path.of("/dev/shm"));

        Container privateIpc = container(OTHER, NamespacesSpec.DEFAULT, ContainerState.Status.RUNNING, 42);
        assertThatThrownBy(() -> joinRun(joinBoth, Map.of(OTHER, privateIpc))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("failed to join IPC namespace: container " + OTHER
                        + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        // a private IPC namespace does not matter to a PID join
        assertThat(joinRun(new NamespacesSpec("container:" + OTHER, "private", "", ""), Map.of(OTHER, privateIpc))
                .joinedNamespace("pid")).contains(Path.of("/proc/42/ns/pid"));

        Container stopped = container(OTHER, NamespacesSpec.DEFAULT, ContainerState.Status.EXITED, 0);
        assertThatThrownBy(() -> joinRun(joinBoth, Map.of(OTHER, stopped))).isInstanceOf(ConflictException.class)
                .hasMessage("failed to join PID namespace: container " + OTHER + " is not running");
        Container restarting = container(OTHER, NamespacesSpec.DEFAULT, ContainerState.Status.RESTARTING, 0);
        assertThatThrownBy(() -> joinRun(joinBoth, Map.of(OTHER, restarting))).isInstanceOf(ConflictException.class)
                .hasMessage("failed to join PID namespace: container " + OTHER + " is restarting, wait until the container is running");
        assertThatThrownBy(() -> joinRun(joinBoth, Map.of())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("failed to join PID namespace: No such container: " + OTHER);
    }
}
