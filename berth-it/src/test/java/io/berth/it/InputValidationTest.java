package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 §5 through the real daemon: numbers, JSON types, Content-Type, image references and signals are
 * refused with Docker's 400s, and the clients (docker CLI, berth CLI) show them as Docker's CLI does.
 */
@Tag("privileged")
class InputValidationTest {
    static BerthdProcess daemon;
    static final int CPUS = Runtime.getRuntime().availableProcessors();

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("validate");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private Cmd.Result curl(String... args) throws Exception {
        return daemon.curl(args);
    }

    private Cmd.Result create(String body) throws Exception {
        return curl("-X", "POST", "-H", "Content-Type: application/json", "-d", body, "http://x/v1.43/containers/create");
    }

    private static String hostConfig(String fields) {
        return "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{" + fields + "}}";
    }

    @Test
    void resourceNumbersOutOfRangeOrOfTheWrongTypeAre400() throws Exception {
        assertThat(create(hostConfig("\"Memory\":\"lots\"")).stdout()).endsWith("400").contains("HostConfig.Memory");
        assertThat(create(hostConfig("\"Memory\":99999999999999999999999")).stdout()).endsWith("400").contains("HostConfig.Memory");
        assertThat(create(hostConfig("\"CpuShares\":1.5")).stdout()).endsWith("400").contains("HostConfig.CpuShares");
        assertThat(create(hostConfig("\"Memory\":1024")).stdout()).endsWith("400").contains("Minimum memory limit allowed is 6MB");
        assertThat(create(hostConfig("\"Memory\":67108864,\"MemorySwap\":33554432")).stdout()).endsWith("400")
                .contains("Minimum memoryswap limit should be larger than memory limit, see usage.");
        assertThat(create(hostConfig("\"NanoCpus\":" + (CPUS + 1) * 1_000_000_000L)).stdout()).endsWith("400")
                .contains("Range of CPUs is from 0.01 to " + CPUS + ".00, as there are only " + CPUS + " CPUs available");
        assertThat(create(hostConfig("\"CpuQuota\":500")).stdout()).endsWith("400").contains("CPU cfs quota can not be less than 1ms");
        assertThat(create("{\"Image\":\"busybox\",\"StopTimeout\":\"10\"}").stdout()).endsWith("400").contains("StopTimeout");
        assertThat(daemon.docker("ps", "-aq").orFail().out()).isEmpty();
    }

    @Test
    void theClientsShowTheDaemonsMessageAndExit125() throws Exception {
        Cmd.Result cpus = daemon.docker("run", "--rm", "--cpus", Integer.toString(CPUS + 1), "busybox", "true");
        assertThat(cpus.exitCode()).isEqualTo(125);
        assertThat(cpus.stderr()).contains("Range of CPUs is from 0.01 to " + CPUS + ".00");
        // docker create exits 1 on a daemon error (only run uses 125); berth's CLI uses 125 for both.
        Cmd.Result swap = daemon.docker("create", "-m", "64m", "--memory-swap", "32m", "busybox", "true");
        assertThat(swap.exitCode()).isEqualTo(1);
        assertThat(swap.stderr()).contains("Minimum memoryswap limit should be larger than memory limit");
        Cmd.Result unapplied = daemon.docker("run", "--rm", "--storage-opt", "size=1G", "busybox", "true");
        assertThat(unapplied.exitCode()).isEqualTo(125);
        assertThat(unapplied.stderr()).contains("berth does not support HostConfig.StorageOpt yet");
        Cmd.Result memory = daemon.cli("run", "--rm", "-m", "1k", "busybox", "true");
        assertThat(memory.exitCode()).isEqualTo(125);
        assertThat(memory.stderr()).contains("Error response from daemon: Minimum memory limit allowed is 6MB");
        Cmd.Result huge = daemon.cli("create", "-m", "99999999999999999999999", "busybox", "true");
        assertThat(huge.exitCode()).isEqualTo(125);
        assertThat(huge.stderr()).contains("invalid size").contains("too large");
        assertThat(daemon.docker("ps", "-aq").orFail().out()).isEmpty();
    }

    @Test
    void optionsBerthDoesNotImplementAreRefusedNotDropped() throws Exception {
        // Before: accepted, the data written to "/data" went into the writable layer, and inspect echoed the bind.
        // Binds, volumes, tmpfs and --volumes-from are applied now (MountsTest, VolumesTest, VolumesFromTest); volume drivers are not.
        String before = daemon.docker("ps", "-aq").orFail().out();
        // Ports, networks, DNS options, healthchecks and links (LinksTest) are applied now; NIS domain names are not.
        for (List<String> flags : List.of(List.of("--volume-driver", "nfs"), List.of("--domainname", "example.org"))) {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            args.addAll(flags);
            args.addAll(List.of("busybox", "true"));
            Cmd.Result r = daemon.docker(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", flags)).isEqualTo(125);
            assertThat(r.stderr()).as(String.join(" ", flags)).contains("berth does not support");
        }
        assertThat(daemon.docker("ps", "-aq").orFail().out()).as("nothing was created").isEqualTo(before);
        // --network none states what berth does anyway: only loopback.
        assertThat(daemon.docker("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net").orFail().out()).isEqualTo("lo");
    }

    @Test
    void aMemorySwapLimitIsApplied() throws Exception {
        String id = daemon.docker("create", "-m", "64m", "--memory-swap", "128m", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").orFail().out();
        try {
            assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", id).orFail().out())
                    .isEqualTo("67108864 134217728");
            assertThat(daemon.docker("start", "-a", id).orFail().out()).isEqualTo("67108864\n134217728");
        } finally {
            daemon.docker("rm", "-f", id);
        }
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs400() throws Exception {
        Cmd.Result text = curl("-X", "POST", "-H", "Content-Type: text/plain", "-d", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}",
                "http://x/v1.43/containers/create");
        assertThat(text.stdout()).endsWith("400").contains("unsupported Content-Type header (text/plain): must be 'application/json'");
        // curl's default for -d is a form; Docker refuses that too.
        Cmd.Result form = curl("-X", "POST", "-d", "{\"Image\":\"busybox\"}", "http://x/v1.43/containers/create");
        assertThat(form.stdout()).endsWith("400").contains("unsupported Content-Type header (application/x-www-form-urlencoded)");
        assertThat(daemon.docker("ps", "-aq").orFail().out()).isEmpty();
    }

    @Test
    void anInvalidImageReferenceIs400Everywhere() throws Exception {
        assertThat(create("{\"Image\":\"Busy:Box:1\",\"Cmd\":[\"true\"]}").stdout()).endsWith("400").contains("invalid reference format");
        assertThat(curl("-X", "POST", "http://x/v1.43/images/create?fromImage=Busy&tag=latest").stdout())
                .endsWith("400").contains("invalid reference format");
        assertThat(curl("http://x/v1.43/images/Busy%3ABox%3A1/json").stdout()).endsWith("400").contains("invalid reference format");
        assertThat(curl("-X", "POST", "http://x/v1.43/images/-bad/tag?repo=ok&tag=1").stdout()).endsWith("400")
                .contains("invalid reference format");
        assertThat(curl("-X", "POST", "http://x/v1.43/images/busybox/tag?repo=Not-Ok&tag=1").stdout()).endsWith("400")
                .contains("invalid reference format");
        assertThat(curl("-X", "POST", "-H", "X-Registry-Auth: e30=", "http://x/v1.43/images/Bad/push?tag=1").stdout())
                .endsWith("400").contains("invalid reference format");
        assertThat(curl("-X", "DELETE", "http://x/v1.43/images/-bad").stdout()).endsWith("400").contains("invalid reference format");
        Cmd.Result inspect = daemon.docker("image", "inspect", "Busy:Box:1");
        assertThat(inspect.exitCode()).isEqualTo(1);
        assertThat(inspect.stderr()).contains("invalid reference format");
        Cmd.Result rmi = daemon.docker("rmi", "Busy:Box:1");
        assertThat(rmi.exitCode()).isEqualTo(1);
        assertThat(rmi.stderr()).contains("invalid reference format");
        for (String[] berth : new String[][] {{"image", "inspect", "Busy:Box:1"}, {"rmi", "Busy:Box:1"}, {"tag", "Busy:Box:1", "ok:1"}}) {
            Cmd.Result r = daemon.cli(berth);
            assertThat(r.exitCode()).as(String.join(" ", berth)).isEqualTo(1);
            assertThat(r.stderr()).as(String.join(" ", berth)).contains("invalid reference format");
        }
        Cmd.Result run = daemon.cli("run", "--rm", "Busy:Box:1");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(run.stderr()).contains("invalid reference format");
        // A well-formed name that does not exist is still a 404.
        assertThat(curl("http://x/v1.43/images/nosuch:1/json").stdout()).endsWith("404").contains("No such image: nosuch:1");
    }

    @Test
    void unknownStopSignalsAreRefusedAtCreateAndInTheBuild() throws Exception {
        assertThat(create("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"StopSignal\":\"SIGNOPE\"}").stdout())
                .endsWith("400").contains("Invalid signal: SIGNOPE");
        Cmd.Result cli = daemon.docker("run", "--stop-signal", "SIGNOPE", "busybox", "true");
        assertThat(cli.exitCode()).isEqualTo(125);
        assertThat(cli.stderr()).contains("Invalid signal: SIGNOPE");
        Cmd.Result build = Cmd.run(List.of("/usr/local/bin/docker", "build", "-t", "stopsignal:bad", "-"),
                Map.of("DOCKER_HOST", daemon.host(), "DOCKER_BUILDKIT", "0"),
                "FROM busybox\nSTOPSIGNAL SIGNOPE\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(120));
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.stdout() + build.stderr()).contains("Invalid signal: SIGNOPE");
        assertThat(daemon.docker("images", "-q", "stopsignal:bad").orFail().out()).isEmpty();
        assertThat(daemon.docker("ps", "-aq").orFail().out()).isEmpty();
    }

    @Test
    void anImageInUseIsKeptByRmiAndForcedRmiOnlyUntags() throws Exception {
        // An image of its own (one tag), so that inuse:1 is its last name.
        Cmd.Result built = Cmd.run(List.of("/usr/local/bin/docker", "build", "-q", "-t", "inuse:1", "-"),
                Map.of("DOCKER_HOST", daemon.host(), "DOCKER_BUILDKIT", "0"),
                "FROM busybox\nLABEL purpose=inuse\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(120)).orFail();
        String image = built.out();
        String id = daemon.docker("create", "inuse:1", "true").orFail().out();
        try {
            Cmd.Result refused = daemon.docker("rmi", "inuse:1");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("conflict: unable to remove repository reference \"inuse:1\" (must force) - container "
                    + id.substring(0, 12) + " is using its referenced image");
            Cmd.Result byId = daemon.docker("rmi", image);
            assertThat(byId.exitCode()).isEqualTo(1);
            assertThat(byId.stderr()).contains("(must be forced) - image is being used by stopped container " + id.substring(0, 12));
            // Forced, the name goes and the image stays (dangling) under its container, which still runs.
            assertThat(daemon.docker("rmi", "-f", "inuse:1").orFail().out()).isEqualTo("Untagged: inuse:1");
            assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", image).orFail().out()).isEqualTo(image);
            assertThat(daemon.docker("start", "-a", id).orFail().exitCode()).isZero();
        } finally {
            daemon.docker("rm", "-f", id);
        }
        // With its last container gone, the dangling image is pruned.
        assertThat(daemon.docker("image", "prune", "-f").orFail().out()).contains("deleted: " + image);
    }
}
