package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A container's routes to its bridge subnets carry {@code congctl cubic} when the host's default TCP congestion
 * control is BBR (NeighbourTcp; docs/decisions.md, "Container-to-container throughput"), and nothing otherwise;
 * its default route never does. Every way a namespace gets wired: a user network at the start, a connect at run
 * time, and a default-bridge namespace wired ahead of its container (PrewiredNamespaces).
 */
@Tag("privileged")
class ContainerNeighbourTcpTest {
    @Test
    void theBridgeRoutesOfEveryWiredNamespaceUseCubicWhenTheHostDefaultsToBbr() throws Exception {
        boolean bbr = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip().equals("bbr");
        BerthdProcess daemon = DaemonFixture.startWithBusybox("neighbour-tcp");
        try {
            daemon.docker("network", "create", "ntcp-a").orFail();
            daemon.docker("network", "create", "ntcp-b").orFail();
            daemon.docker("run", "-d", "--name", "ntcp-1", "--network", "ntcp-a", "busybox", "sleep", "600").orFail();
            daemon.docker("network", "connect", "ntcp-b", "ntcp-1").orFail();
            List<String> user = routes("--net=/proc/" + pid(daemon, "ntcp-1") + "/ns/net");
            assertKernelRoutes(user, 2, bbr);

            // the first default-bridge container is wired on its own path; the next namespace is then wired ahead
            daemon.docker("run", "-d", "--name", "ntcp-2", "busybox", "sleep", "600").orFail();
            assertKernelRoutes(routes("--net=/proc/" + pid(daemon, "ntcp-2") + "/ns/net"), 1, bbr);
            Path prewired = null;
            for (int i = 0; i < 300 && prewired == null; i++) {
                Path dir = daemon.execRoot.resolve("prewired");
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        // netavark's routes come before NeighbourTcp's change of them, and the namespace is ready
                        // (can be taken) only after both: wait for the change, not for the first route
                        prewired = s.map(p -> p.resolve("netns")).filter(p -> routes("--net=" + p).stream()
                                        .anyMatch(l -> l.contains("proto kernel") && l.contains("congctl cubic") == bbr))
                                .findFirst().orElse(null);
                    }
                }
                if (prewired == null) Thread.sleep(100);
            }
            assertThat(prewired).as("a prewired namespace").isNotNull();
            assertKernelRoutes(routes("--net=" + prewired), 1, bbr);

            daemon.docker("run", "-d", "--name", "ntcp-3", "busybox", "sleep", "600").orFail(); // takes it
            assertKernelRoutes(routes("--net=/proc/" + pid(daemon, "ntcp-3") + "/ns/net"), 1, bbr);
        } finally {
            daemon.docker("rm", "-f", "ntcp-1", "ntcp-2", "ntcp-3");
            daemon.docker("network", "rm", "ntcp-a", "ntcp-b");
            DaemonFixture.stop(daemon);
        }
    }

    private static void assertKernelRoutes(List<String> routes, int count, boolean bbr) {
        List<String> kernel = routes.stream().filter(l -> l.contains("proto kernel")).toList();
        assertThat(kernel).as(String.join("\n", routes)).hasSize(count);
        if (bbr) {
            assertThat(kernel).allMatch(l -> l.contains("congctl cubic"), "congctl cubic");
        } else {
            assertThat(kernel).noneMatch(l -> l.contains("congctl"));
        }
        assertThat(routes).filteredOn(l -> l.startsWith("default")).as("default routes: the host's choice").isNotEmpty()
                .noneMatch(l -> l.contains("congctl"));
    }

    private static String pid(BerthdProcess daemon, String container) throws Exception {
        return daemon.docker("inspect", "-f", "{{.State.Pid}}", container).orFail().out();
    }

    /** The IPv4 routes of a namespace, by the host's iproute2 (busybox's ip does not print congctl). */
    private static List<String> routes(String nsenterNet) {
        try {
            Cmd.Result r = Cmd.run(List.of("nsenter", nsenterNet, "ip", "-4", "route", "show"), Map.of(), null, Duration.ofSeconds(30));
            return r.exitCode() == 0 ? Arrays.stream(r.out().split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList() : List.of();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
