package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * berthd answers on its socket before it is wired (the stores, recovery) and before the default bridge's placeholder
 * is up (netavark makes it on a thread of its own): a request made meanwhile waits for the recovery and sees every
 * container as recovered, a container run at once still gets its address on the bridge, and a stop at once leaves no
 * bridge, veth or placeholder behind.
 */
@Tag("privileged")
class DaemonStartWarmUpTest {

    @Test
    void aContainerRunAtOnceGetsTheDefaultBridgeAndAStopAtOnceLeavesNothingBehind() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("warm-up");
        BerthdProcess second = null;
        BerthdProcess third = null;
        try {
            String bridge = first.docker("network", "inspect", "-f",
                    "{{index .Options \"com.docker.network.bridge.name\"}} {{(index .IPAM.Config 0).Gateway}}", "bridge").orFail().out();
            String name = bridge.split(" ")[0];
            String gateway = bridge.split(" ")[1];
            String prefix = gateway.substring(0, gateway.lastIndexOf('.') + 1);
            first.close(); // its stop retires the placeholder: the bridge goes, so the next start makes it again
            assertThat(linkExists(name)).as("bridge after the first stop").isFalse();

            second = new BerthdProcess(first.root).start();
            // the docker CLI (no JVM to start) right after the first answered ping: the warm-up is still under way
            String addr = second.docker("run", "--rm", "busybox", "ip", "-o", "-4", "addr", "show", "eth0").orFail().out();
            assertThat(addr).contains("inet " + prefix + "2/");
            assertThat(linkExists(name)).as("the default bridge stays up with no container on it").isTrue();
            // the placeholder's veth and that of the namespace wired ahead of the next container (PrewiredNamespaces);
            // the one just used is torn down in the background
            for (int i = 0; i < 300 && vethsOn(name).size() != 2; i++) Thread.sleep(100);
            assertThat(vethsOn(name)).as("the placeholder's and the prewired namespace's veths").hasSize(2);
            second.close();
            assertThat(linkExists(name)).isFalse();

            for (int round = 0; round < 3; round++) {
                third = new BerthdProcess(first.root).start();
                third.close(); // SIGTERM right after the first answered ping, with the warm-up under way or not begun
                assertThat(linkExists(name)).as("bridge after a stop at once (round " + round + ")").isFalse();
                assertThat(vethsOn(name)).isEmpty();
                Path warm = third.execRoot.resolve("warm");
                assertThat(Files.isDirectory(warm) ? Files.list(warm).toList() : List.of()).as("placeholders left").isEmpty();
                Path prewired = third.execRoot.resolve("prewired");
                assertThat(Files.isDirectory(prewired) ? Files.list(prewired).toList() : List.of()).as("prewired namespaces left").isEmpty();
            }
        } finally {
            if (third != null) third.close();
            if (second != null) second.close();
            DaemonFixture.stop(first);
        }
    }

    /**
     * The first ping is answered before recovery; a container list asked for right after it is answered once
     * recovery is done, with every running container in it (never a half-recovered list).
     */
    @Test
    void aContainerListAskedForDuringRecoveryListsEveryRecoveredContainer() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("recovery-wait");
        BerthdProcess second = null;
        try {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(first.docker("run", "-d", "--network", "none", "busybox", "sleep", "600").orFail().out().trim());
            }
            first.close(); // the containers live on under conmon

            second = new BerthdProcess(first.root).start(); // back at the first answered ping
            long asked = System.currentTimeMillis();
            Cmd.Result list = Cmd.run(List.of("curl", "-sf", "-m", "60", "--unix-socket", second.socket.toString(),
                    "http://berthd/v1.43/containers/json"), Map.of(), null, Duration.ofSeconds(70));
            assertThat(list.exitCode()).isZero();
            var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.stdout());
            assertThat(listed).hasSize(ids.size());
            for (var c : listed) {
                assertThat(ids).contains(c.get("Id").asText());
                assertThat(c.get("State").asText()).isEqualTo("running");
            }
            // the list was asked for while berthd was still wiring: it waited for the recovery
            String ready = Files.readAllLines(second.log).stream().filter(l -> l.contains("engine ready: 6 containers recovered"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(java.time.Instant.parse(ready.substring(0, ready.indexOf(' '))).toEpochMilli())
                    .as("the engine was ready after the list was asked for").isGreaterThanOrEqualTo(asked);
        } finally {
            DaemonFixture.stop(second);
            DaemonFixture.stop(first);
        }
    }

    /** What no start needs waits for its first use: the HTTP clients of registries and of image search (TLS, CA certificates). */
    @Test
    void theRegistryAndSearchHttpClientsAreNotMadeAtStart() throws Exception {
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-lazy-");
        Path classes = root.resolve("classes.log");
        BerthdProcess daemon = new BerthdProcess(root).withJvmOption("-Xlog:class+load:file=" + classes);
        try {
            daemon.start();
            assertThat(daemon.docker("version", "--format", "{{.Server.Version}}").exitCode()).isZero();
            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).as("classes loaded by a started berthd").isNotEmpty()
                    .noneMatch(l -> l.contains(" jdk.internal.net.http.HttpClientImpl "))
                    .noneMatch(l -> l.contains(" sun.security.ssl.SSLContextImpl "));
            // the first registry call makes it (a registry on a closed port: the pull fails, the client exists)
            daemon.post("/images/create?fromImage=127.0.0.1:1/nothing&tag=1");
            assertThat(Files.readAllLines(classes)).anyMatch(l -> l.contains(" jdk.internal.net.http.HttpClientImpl "));
        } finally {
            DaemonFixture.stop(daemon);
        }
    }

    private static boolean linkExists(String name) throws Exception {
        return Cmd.run(List.of("ip", "link", "show", "dev", name), Map.of(), null, Duration.ofSeconds(10)).exitCode() == 0;
    }

    private static List<String> vethsOn(String bridge) throws Exception {
        Cmd.Result r = Cmd.run(List.of("ip", "-o", "link", "show", "master", bridge), Map.of(), null, Duration.ofSeconds(10));
        return r.exitCode() != 0 ? List.of() : r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }
}
