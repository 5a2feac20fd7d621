package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code --security-opt} proven from inside real containers: the filter a container runs under is the one it
 * asked for (builtin, none, or its own Docker-format profile, sent by the berth CLI and by the docker CLI as the
 * file's content), the builtin one refuses io_uring, and options berth cannot apply are refused, named.
 */
@Tag("privileged")
class SecurityOptionsTest {
    static BerthdProcess daemon;
    static Path work;

    /** Calls io_uring_setup directly (no liburing in busybox) and reports the errno. */
    private static final String IO_URING_PROBE = """
            #include <stdio.h>
            #include <errno.h>
            #include <string.h>
            #include <unistd.h>
            #include <sys/syscall.h>
            int main(void) {
                unsigned char params[120];
                memset(params, 0, sizeof params);
                long fd = syscall(__NR_io_uring_setup, 1, params);
                if (fd < 0) { printf("errno=%d\\n", errno); return 1; }
                printf("fd=%ld\\n", fd);
                return 0;
            }
            """;

    private static final String DENY_MKDIR = """
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                          {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
              "syscalls": [
                {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": ["CAP_CHOWN"]}},
                {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": {"caps": ["CAP_SYS_ADMIN"]}}
              ]
            }
            """;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("secopts");
        work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-secopts-work-");
        Files.writeString(work.resolve("probe.c"), IO_URING_PROBE);
        Cmd.run(List.of("gcc", "-static", "-O2", "-o", work.resolve("probe").toString(), work.resolve("probe.c").toString()),
                Map.of(), null, Duration.ofSeconds(120)).orFail();
        Files.writeString(work.resolve("deny-mkdir.json"), DENY_MKDIR);
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (work != null) Cmd.run(List.of("rm", "-rf", work.toString()), Map.of(), null, Duration.ofSeconds(30));
    }

    private static String seccompMode(String... securityOpts) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--rm"));
        for (String o : securityOpts) args.addAll(List.of("--security-opt", o));
        args.addAll(List.of("busybox", "grep", "^Seccomp:", "/proc/self/status"));
        return daemon.cli(args.toArray(String[]::new)).orFail().out().replaceAll("\\s+", " ");
    }

    @Test
    void unconfinedRunsWithoutAFilterAndTheDefaultWithOne() throws Exception {
        assertThat(seccompMode()).isEqualTo("Seccomp: 2");
        assertThat(seccompMode("seccomp=builtin")).isEqualTo("Seccomp: 2");
        assertThat(seccompMode("seccomp=unconfined")).isEqualTo("Seccomp: 0");

        daemon.cli("create", "--name", "unconf", "--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges",
                "busybox", "true").orFail();
        assertThat(daemon.cli("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", "unconf").orFail().out())
                .isEqualTo("[\"seccomp=unconfined\",\"no-new-privileges\"]");
        daemon.cli("rm", "unconf").orFail();
    }

    @Test
    void aProfileFileIsAppliedThroughBothClients() throws Exception {
        String profile = work.resolve("deny-mkdir.json").toString();
        Cmd.Result denied = daemon.cli("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c",
                "mkdir /x; echo rc=$?; grep ^Seccomp: /proc/self/status");
        assertThat(denied.stdout()).contains("rc=1").contains("Seccomp:\t2");
        assertThat(denied.stderr()).contains("Operation not permitted");
        // rules excluded for holders of CAP_CHOWN (which the container has) or only for holders of CAP_SYS_ADMIN
        // (which it lacks) are not in its filter
        assertThat(daemon.cli("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c",
                "uname -s && rmdir /home/berth && echo removed").orFail().out()).isEqualTo("Linux\nremoved");
        // the same container without the profile makes its directory
        assertThat(daemon.cli("run", "--rm", "busybox", "sh", "-c", "mkdir /x && echo made").orFail().out()).isEqualTo("made");

        Cmd.Result viaDocker = daemon.docker("run", "--name", "dmk", "--security-opt", "seccomp=" + profile, "busybox",
                "sh", "-c", "mkdir /x 2>&1; echo rc=$?");
        assertThat(viaDocker.stdout()).contains("Operation not permitted").contains("rc=1");
        String shown = daemon.cli("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", "dmk").orFail().out();
        assertThat(shown).startsWith("[\"seccomp={").contains("mkdirat").contains("SCMP_ACT_ERRNO");
        daemon.cli("rm", "dmk").orFail();
    }

    @Test
    void theDefaultProfileRefusesIoUringAndUnconfinedDoesNot() throws Exception {
        String probe = work.resolve("probe").toString();
        daemon.cli("create", "--name", "iou", "busybox", "/probe").orFail();
        daemon.cli("cp", probe, "iou:/probe").orFail();
        Cmd.Result confined = daemon.cli("start", "-a", "iou");
        assertThat(confined.stdout()).isEqualTo("errno=1\n");   // EPERM, from the filter
        daemon.cli("rm", "iou").orFail();

        daemon.cli("create", "--name", "iou-free", "--security-opt", "seccomp=unconfined", "busybox", "/probe").orFail();
        daemon.cli("cp", probe, "iou-free:/probe").orFail();
        assertThat(daemon.cli("start", "-a", "iou-free").stdout()).startsWith("fd=");
        daemon.cli("rm", "iou-free").orFail();
    }

    @Test
    void optionsBerthCannotApplyAreRefusedByName() throws Exception {
        Cmd.Result apparmor = daemon.cli("run", "--rm", "--security-opt", "apparmor=docker-default", "busybox", "true");
        assertThat(apparmor.exitCode()).isEqualTo(125);
        assertThat(apparmor.stderr()).contains("apparmor=docker-default").contains("AppArmor is not enabled on this host");
        Cmd.Result label = daemon.docker("run", "--rm", "--security-opt", "label=level:s0:c100,c200", "busybox", "true");
        assertThat(label.exitCode()).isEqualTo(125);
        assertThat(label.stderr()).contains("label=level:s0:c100,c200").contains("SELinux is not enabled on this host");
        Cmd.Result unknown = daemon.cli("run", "--rm", "--security-opt", "seccomp-ish=1", "busybox", "true");
        assertThat(unknown.exitCode()).isEqualTo(125);
        assertThat(unknown.stderr()).contains("seccomp-ish=1");
        Cmd.Result bad = daemon.cli("run", "--rm", "--security-opt", "seccomp=" + work.resolve("probe.c"), "busybox", "true");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("seccomp profile");
    }
}
