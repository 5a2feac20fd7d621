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
 * berthd answers on its socket before the default bridge's placeholder is up (netavark makes it on a thread of its
 * own): a container run at once still gets its address on the bridge, and a stop at once leaves no bridge, veth or
 * placeholder behind.
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
