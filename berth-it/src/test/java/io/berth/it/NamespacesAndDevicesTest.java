package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Namespace modes (--pid, --ipc, --uts, --userns, --cgroupns), --privileged, --device, --device-cgroup-rule and
 * --group-add, each seen from inside real containers of a real berthd, through the berth CLI and the docker CLI.
 */
@Tag("privileged")
class NamespacesAndDevicesTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("nsmodes");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static String hostNs(String type) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
    }

    @Test
    void hostModesShareTheHostsNamespaces() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--pid", "host", "--ipc", "host", "busybox", "sh", "-c",
                "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc").orFail().out())
                .isEqualTo(hostNs("pid") + "\n" + hostNs("ipc"));
        // the host's processes are visible: this test's own JVM among them
        assertThat(daemon.cli("run", "--rm", "--pid", "host", "busybox", "sh", "-c", "test -d /proc/" + ProcessHandle.current().pid()
                + " && echo seen").orFail().out()).isEqualTo("seen");
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertThat(daemon.docker("run", "--rm", "--uts", "host", "busybox", "sh", "-c", "hostname; readlink /proc/self/ns/uts")
                .orFail().out()).isEqualTo(hostname + "\n" + hostNs("uts"));
        Cmd.Result conflict = daemon.docker("run", "--rm", "--uts", "host", "-h", "named", "busybox", "true");
        assertThat(conflict.exitCode()).isEqualTo(125);
        assertThat(conflict.stderr()).contains("conflicting options: hostname and the UTS mode");
        // berth has no user namespaces: host is what it does; the default stays private for the others
        assertThat(daemon.docker("run", "--rm", "--userns", "host", "busybox", "readlink", "/proc/self/ns/user").orFail().out())
                .isEqualTo(hostNs("user"));
        assertThat(daemon.cli("run", "--rm", "--userns", "private", "busybox", "true").stderr())
                .contains("berth does not support HostConfig.UsernsMode=private yet");
        assertThat(daemon.cli("run", "--rm", "busybox", "readlink", "/proc/self/ns/pid").orFail().out()).isNotEqualTo(hostNs("pid"));
    }

    @Test
    void containerModesJoinARunningContainersPidAndShareableIpc() throws Exception {
        daemon.docker("run", "-d", "--name", "donor", "--ipc", "shareable", "busybox", "sleep", "300").orFail();
        String donorNs = daemon.docker("exec", "donor", "sh", "-c",
                "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; echo shared > /dev/shm/note").orFail().out();
        String joined = daemon.cli("run", "--rm", "--pid", "container:donor", "--ipc", "container:donor", "busybox", "sh", "-c",
                "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc").orFail().out();
        assertThat(joined).isEqualTo(donorNs);
        // the donor's /dev/shm and processes are the joiner's
        assertThat(daemon.docker("run", "--rm", "--pid", "container:donor", "--ipc", "container:donor", "busybox", "sh", "-c",
                "cat /dev/shm/note; cat /proc/1/cmdline | tr '\\0' ' '").orFail().out()).isEqualTo("shared\nsleep 300");
        assertThat(daemon.docker("inspect", "-f", "[{{.HostConfig.PidMode}}] {{.HostConfig.IpcMode}}", "donor").orFail().out())
                .isEqualTo("[] shareable");

        daemon.docker("run", "-d", "--name", "private-ipc", "busybox", "sleep", "300").orFail();
        Cmd.Result nonShareable = daemon.docker("run", "--rm", "--ipc", "container:private-ipc", "busybox", "true");
        assertThat(nonShareable.exitCode()).isEqualTo(125);
        assertThat(nonShareable.stderr()).contains("failed to join IPC namespace: container ").contains(
                ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        daemon.docker("rm", "-f", "private-ipc").orFail();

        daemon.docker("stop", "-t", "0", "donor").orFail();
        Cmd.Result stopped = daemon.docker("run", "--rm", "--pid", "container:donor", "busybox", "true");
        assertThat(stopped.exitCode()).isEqualTo(125);
        assertThat(stopped.stderr()).contains("failed to join PID namespace: container ").contains(" is not running");
        assertThat(daemon.docker("run", "--rm", "--pid", "container:no-such", "busybox", "true").stderr())
                .contains("No such container: no-such");
        daemon.docker("rm", "donor").orFail();
    }

    @Test
    void ipcNoneHasNoDevShmAndCgroupnsPrivateHasItsOwn() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--ipc", "none", "busybox", "sh", "-c", "test -e /dev/shm || echo absent").orFail().out())
                .isEqualTo("absent");
        String privateNs = daemon.docker("run", "--rm", "--cgroupns", "private", "busybox", "readlink", "/proc/self/ns/cgroup").orFail().out();
        assertThat(privateNs).startsWith("cgroup:[").isNotEqualTo(hostNs("cgroup"));
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        daemon.docker("create", "--name", "cgdefault", "busybox", "true").orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", "cgdefault").orFail().out())
                .isEqualTo(v2 ? "private" : "host");
        daemon.docker("rm", "cgdefault").orFail();
        assertThat(daemon.docker("run", "--rm", "--cgroupns", "host", "busybox", "readlink", "/proc/self/ns/cgroup").orFail().out())
                .isEqualTo(hostNs("cgroup"));
    }

    /** Names of the char and block devices directly in the host's /dev. */
    private static Set<String> hostDevices() throws Exception {
        Set<String> out = new TreeSet<>();
        try (var list = Files.list(Path.of("/dev"))) {
            for (Path p : list.toList()) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int type = mode & 0170000;
                if (type == 0020000 || type == 0060000) out.add(p.getFileName().toString());
            }
        }
        out.remove("console");
        return out;
    }

    @Test
    void privilegedGetsEveryHostDeviceAndCapabilityNoFilterAndAWritableSys() throws Exception {
        List<String> inside = daemon.docker("run", "--rm", "--privileged", "busybox", "ls", "/dev").orFail().out().lines().toList();
        assertThat(inside).containsAll(hostDevices());
        assertThat(daemon.docker("run", "--rm", "busybox", "ls", "/dev").orFail().out().lines().toList()).doesNotContain("fuse", "kmsg");
        String status = daemon.docker("run", "--rm", "--privileged", "busybox", "sh", "-c",
                "grep -E '^(CapEff|Seccomp):' /proc/self/status; grep -E ' /sys (sysfs|cgroup)' /proc/self/mounts | cut -d' ' -f4 | cut -d, -f1;"
                + " grep -c -E ' /proc/(kcore|keys|sys) ' /proc/self/mountinfo || true").orFail().out();
        String hostBounding = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:"))
                .findFirst().orElseThrow().substring("CapBnd:".length()).trim();
        // every capability berthd holds, no seccomp filter, /sys read-write, nothing masked or made read-only in /proc
        assertThat(status.lines().toList()).containsExactly("CapEff:\t" + hostBounding, "Seccomp:\t0", "rw", "0");
        // a device node the host can open works inside
        if (Files.isReadable(Path.of("/dev/fuse"))) {
            assertThat(daemon.cli("run", "--rm", "--privileged", "busybox", "sh", "-c", "exec 3</dev/fuse && echo opened").orFail().out())
                    .isEqualTo("opened");
        }
    }

    @Test
    void devicesAndDeviceCgroupRules() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--device", "/dev/fuse", "busybox", "sh", "-c",
                "ls -l /dev/fuse | cut -c1; exec 3</dev/fuse && echo opened").orFail().out()).isEqualTo("c\nopened");
        assertThat(daemon.docker("run", "--rm", "--device", "/dev/null:/dev/mynull:rwm", "busybox", "sh", "-c",
                "echo x > /dev/mynull && ls -l /dev/mynull | tr -s ' ' | cut -d' ' -f5,6").orFail().out()).isEqualTo("1, 3");
        // read-only permission in the devices cgroup: opening for write is refused by the kernel
        assertThat(daemon.docker("run", "--rm", "--device", "/dev/fuse:/dev/fuse:r", "busybox", "sh", "-c",
                "exec 3</dev/fuse && echo read; (echo > /dev/fuse) 2>/dev/null || echo write-refused").orFail().out())
                .isEqualTo("read\nwrite-refused");
        Cmd.Result missing = daemon.docker("run", "--rm", "--device", "/dev/no-such-device", "busybox", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("error gathering device information while adding custom device \"/dev/no-such-device\": "
                + "no such file or directory");
        // a rule lets the container make and use a node the defaults do not allow
        String mknod = "mknod /dev/f c 10 229 && (exec 3</dev/f) 2>/dev/null && echo opened || echo refused";
        assertThat(daemon.cli("run", "--rm", "--device-cgroup-rule", "c 10:229 rwm", "busybox", "sh", "-c", mknod).orFail().out())
                .isEqualTo("opened");
        assertThat(daemon.cli("run", "--rm", "busybox", "sh", "-c", mknod).orFail().out()).isEqualTo("refused");
        Cmd.Result badRule = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"DeviceCgroupRules\":[\"c 1:3\"]}}", "http://berthd/containers/create");
        assertThat(badRule.out()).contains("invalid device cgroup rule format: 'c 1:3'").endsWith("400");
    }

    @Test
    void groupAddNamesComeFromTheContainersEtcGroup() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--group-add", "123", "--group-add", "nobody", "busybox", "id").orFail().out())
                .isEqualTo("uid=0(root) gid=0(root) groups=123,65534(nobody)");
        daemon.docker("run", "-d", "--name", "grouped", "--group-add", "4242", "busybox", "sleep", "300").orFail();
        // an exec's process gets the groups too, whoever it runs as
        assertThat(daemon.docker("exec", "-u", "1000", "grouped", "id", "-G").orFail().out()).isEqualTo("1000 4242");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.GroupAdd}}", "grouped").orFail().out()).isEqualTo("[\"4242\"]");
        daemon.docker("rm", "-f", "grouped").orFail();
        Cmd.Result unknown = daemon.docker("run", "--rm", "--group-add", "no-such-group", "busybox", "true");
        assertThat(unknown.exitCode()).isEqualTo(125);
        assertThat(unknown.stderr()).contains("unable to find group no-such-group: no matching entries in group file");
    }

    @Test
    void inspectShowsEachSetting() throws Exception {
        List<String> args = new ArrayList<>(List.of("create", "--name", "shown", "--pid", "host", "--ipc", "none", "--uts", "host",
                "--userns", "host", "--cgroupns", "private", "--device", "/dev/fuse", "--device-cgroup-rule", "c 1:3 r", "busybox", "true"));
        daemon.docker(args.toArray(String[]::new)).orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}} "
                + "{{.HostConfig.UsernsMode}} {{.HostConfig.CgroupnsMode}} {{json .HostConfig.Devices}} {{json .HostConfig.DeviceCgroupRules}}",
                "shown").orFail().out()).isEqualTo("host none host host private "
                + "[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"}] [\"c 1:3 r\"]");
        daemon.docker("rm", "shown").orFail();
    }
}
