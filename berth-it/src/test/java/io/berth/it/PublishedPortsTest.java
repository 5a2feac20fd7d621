package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, published ports through the unmodified docker CLI and the host's iptables: TCP and UDP, an explicit host
 * address, a random port read back with `docker port`, -P with the image's EXPOSE, a range; reached from the host's
 * loopback, its other address and another container; Docker's errors for a port taken by a container or a host
 * program; the rules leaving with the container's stop and coming back with its start; and what a kill -9 of
 * berthd does to published containers (nothing lost, nothing doubled, nothing left after rm -f), also when it
 * strikes while containers start.
 */
@Tag("privileged")
class PublishedPortsTest {
    /** Each container serves this page with busybox httpd on {@code /www}. */
    private static final String SERVE = "mkdir -p /www && echo page-$HOSTNAME > /www/index.html && ";
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("ports");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static String docker(String... args) throws Exception {
        return daemon.docker(args).orFail().out();
    }

    /** What an HTTP GET of {@code hostPort} answers ("" when nothing does), tried for a few seconds. */
    private static String get(String hostPort) throws Exception {
        Cmd.Result last = null;
        for (int i = 0; i < 10; i++) {
            last = Cmd.run(List.of("curl", "-sS", "--max-time", "3", "http://" + hostPort + "/"), Map.of(), null, Duration.ofSeconds(10));
            if (last.exitCode() == 0) return last.out();
            Thread.sleep(300);
        }
        return "";
    }

    /** One try: an answer is wanted to be absent, so no retrying. */
    private static boolean answers(String hostPort) throws Exception {
        return Cmd.run(List.of("curl", "-sS", "--max-time", "2", "http://" + hostPort + "/"), Map.of(), null, Duration.ofSeconds(10))
                .exitCode() == 0;
    }

    /** The first of {@code n} consecutive ports free for TCP and UDP on every address. */
    static int freePorts(int n) {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20000 + random.nextInt(12000);
            boolean free = true;
            for (int p = first; p < first + n && free; p++) {
                try (ServerSocket s = new ServerSocket(); DatagramSocket d = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(p));
                    d.bind(new InetSocketAddress(p));
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) return first;
        }
        throw new IllegalStateException("no " + n + " free consecutive ports");
    }

    private static List<String> iptables(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iptables"));
        cmd.addAll(List.of(args));
        return List.of(Cmd.run(cmd, Map.of(), null, Duration.ofSeconds(30)).orFail().stdout().split("\n"));
    }

    /** The DNAT rules that forward to {@code address} (any port). */
    private static List<String> dnatTo(String address) throws Exception {
        return iptables("-t", "nat", "-S").stream().filter(l -> l.contains("-j DNAT") && l.contains("--to-destination " + address + ":")).toList();
    }

    /** UDP's NoPorts counter of the container's namespace: datagrams that arrived for a port nothing listens on. */
    private static long udpNoPorts(String container) throws Exception {
        String[] lines = docker("exec", container, "cat", "/proc/net/snmp").split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                List<String> names = List.of(lines[i].split("\\s+"));
                return Long.parseLong(lines[i + 1].split("\\s+")[names.indexOf("NoPorts")]);
            }
        }
        throw new AssertionError("no Udp counters in /proc/net/snmp");
    }

    @Test
    void tcpUdpAHostAddressARandomPortAndARangeAreReachedFromTheHostAndFromContainers() throws Exception {
        String host = ContainerNetworkingTest.hostAddress();
        int p = freePorts(5);
        int tcp = p, udp = p + 1, local = p + 2, range = p + 3;
        docker("run", "-d", "--name", "pub", "-h", "pub", "-p", tcp + ":80", "-p", udp + ":81/udp", "-p", "127.0.0.1:" + local + ":80",
                "-p", "80", "-p", range + "-" + (range + 1) + ":90-91", "busybox", "sh", "-c",
                SERVE + "httpd -p 80 -h /www && httpd -p 90 -h /www && httpd -p 91 -h /www && exec sleep 600");
        try {
            assertThat(get("127.0.0.1:" + tcp)).isEqualTo("page-pub");
            assertThat(get(host + ":" + tcp)).as("the host's other address").isEqualTo("page-pub");
            assertThat(get("127.0.0.1:" + local)).isEqualTo("page-pub");
            assertThat(answers(host + ":" + local)).as("bound to 127.0.0.1 only").isFalse();
            assertThat(get("127.0.0.1:" + range)).isEqualTo("page-pub");
            assertThat(get(host + ":" + (range + 1))).isEqualTo("page-pub");

            List<String> mapped = List.of(docker("port", "pub", "80/tcp").split("\n"));
            assertThat(mapped).contains("0.0.0.0:" + tcp, "127.0.0.1:" + local).hasSize(3);
            String random = mapped.stream().filter(m -> !m.endsWith(":" + tcp) && !m.endsWith(":" + local)).findFirst().orElseThrow();
            assertThat(random).startsWith("0.0.0.0:");
            assertThat(get("127.0.0.1:" + random.substring("0.0.0.0:".length()))).isEqualTo("page-pub");
            assertThat(docker("port", "pub", "81/udp")).isEqualTo("0.0.0.0:" + udp);
            assertThat(docker("port", "pub", "91")).isEqualTo("0.0.0.0:" + (range + 1));

            // another container reaches the published port through the host's address
            // (this busybox's wget crashes with -T: timeout bounds it instead)
            assertThat(docker("run", "--rm", "busybox", "timeout", "10", "wget", "-q", "-O-", "http://" + host + ":" + tcp + "/"))
                    .isEqualTo("page-pub");

            // UDP: busybox has no UDP server, so the datagrams' arrival in the container's namespace is what is
            // counted (a port nothing listens on there); without the forward they would reach berthd's socket
            long before = udpNoPorts("pub");
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 3; i++) s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), udp));
            }
            Thread.sleep(300);
            assertThat(udpNoPorts("pub") - before).isGreaterThanOrEqualTo(3);
        } finally {
            daemon.docker("rm", "-f", "pub");
        }
    }

    @Test
    void publishAllPublishesTheImagesExposedPorts() throws Exception {
        Cmd.Result build = Cmd.run(List.of("/usr/local/bin/docker", "build", "-q", "-t", "exposer", "-"), Map.of("DOCKER_HOST", daemon.host(),
                "DOCKER_BUILDKIT", "0"), "FROM busybox\nEXPOSE 8080 53/udp\n".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(2));
        assertThat(build.exitCode()).as(build.stderr()).isZero();
        docker("run", "-d", "--name", "pall", "-h", "pall", "-P", "exposer", "sh", "-c", SERVE + "exec httpd -f -p 8080 -h /www");
        try {
            String tcp = docker("port", "pall", "8080");
            assertThat(tcp).matches("0\\.0\\.0\\.0:\\d+");
            assertThat(docker("port", "pall", "53/udp")).matches("0\\.0\\.0\\.0:\\d+");
            assertThat(get("127.0.0.1:" + tcp.substring(tcp.indexOf(':') + 1))).isEqualTo("page-pall");
        } finally {
            daemon.docker("rm", "-f", "pall");
        }
    }

    @Test
    void aTakenPortIsRefusedWithDockersMessage() throws Exception {
        int p = freePorts(2);
        docker("run", "-d", "--name", "first", "-p", p + ":80", "busybox", "sleep", "600");
        try (ServerSocket hostProgram = new ServerSocket()) {
            Cmd.Result second = daemon.docker("run", "-d", "--name", "second", "-p", p + ":80", "busybox", "sleep", "600");
            assertThat(second.exitCode()).isEqualTo(125);
            assertThat(second.stderr()).contains("Bind for 0.0.0.0:" + p + " failed: port is already allocated");

            hostProgram.bind(new InetSocketAddress(p + 1));
            Cmd.Result third = daemon.docker("run", "-d", "--name", "third", "-p", (p + 1) + ":80", "busybox", "sleep", "600");
            assertThat(third.exitCode()).isEqualTo(125);
            assertThat(third.stderr()).contains("0.0.0.0:" + (p + 1)).contains("address already in use");
            assertThat(docker("ps", "--format", "{{.Names}}")).doesNotContain("second", "third");
        } finally {
            daemon.docker("rm", "-f", "first", "second", "third");
        }
    }

    @Test
    void theRulesGoWithTheStopAndComeBackWithTheStart() throws Exception {
        int p = freePorts(1);
        docker("run", "-d", "--name", "cycle", "-h", "cycle", "-p", p + ":80", "busybox", "sh", "-c", SERVE + "exec httpd -f -p 80 -h /www");
        try {
            String ip = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "cycle");
            assertThat(dnatTo(ip)).hasSize(1).allMatch(r -> r.contains("--dport " + p + " "));
            assertThat(get("127.0.0.1:" + p)).isEqualTo("page-cycle");

            docker("stop", "-t", "1", "cycle");
            assertThat(dnatTo(ip)).isEmpty();
            assertThat(iptables("-t", "nat", "-S").stream().filter(r -> r.contains("--dport " + p + " "))).isEmpty();
            assertThat(answers("127.0.0.1:" + p)).isFalse();

            docker("start", "cycle");
            String again = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "cycle");
            assertThat(dnatTo(again)).hasSize(1).allMatch(r -> r.contains("--dport " + p + " "));
            assertThat(get("127.0.0.1:" + p)).isEqualTo("page-cycle");
        } finally {
            daemon.docker("rm", "-f", "cycle");
        }
    }

    @Test
    void aKillNineLosesAndDoublesNoForwardAndRmLeavesNothingBehind() throws Exception {
        String netId = docker("network", "create", "-o", "com.docker.network.bridge.name=bk-kill", "kill-net");
        int p = freePorts(10);
        List<String> ids = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(docker("run", "-d", "--name", "k" + i, "-h", "k" + i, "--network", "kill-net", "-p", (p + i) + ":80",
                    "busybox", "sh", "-c", SERVE + "exec httpd -f -p 80 -h /www"));
            ips.add(docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"kill-net\").IPAddress}}", "k" + i));
        }
        List<String> veths = hostSideVeths("bk-kill");
        assertThat(veths).as("the containers' and the placeholder's that keeps kill-net warm").hasSize(11);
        int rulesBefore = countRulesFor(ips, p, 10);
        assertThat(rulesBefore).as("a DNAT rule at least per container").isGreaterThanOrEqualTo(10);
        for (int i = 0; i < 10; i++) assertThat(get("127.0.0.1:" + (p + i))).isEqualTo("page-k" + i);

        daemon.killHard();
        daemon = new BerthdProcess(daemon.root).start();
        for (int i = 0; i < 10; i++) assertThat(get("127.0.0.1:" + (p + i))).as("port of k%d after the restart", i).isEqualTo("page-k" + i);
        assertThat(countRulesFor(ips, p, 10)).as("no rule doubled nor lost").isEqualTo(rulesBefore);
        // the ports are held again: a new container cannot take one
        Cmd.Result taken = daemon.docker("run", "-d", "--name", "k-late", "-p", p + ":80", "busybox", "sleep", "60");
        assertThat(taken.stderr()).contains("port is already allocated");
        daemon.docker("rm", "-f", "k-late");

        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        for (int i = 0; i < 10; i++) rm.add("k" + i);
        docker(rm.toArray(String[]::new));
        // the network stays warm while it exists (as Docker's bridge does): only the placeholder's veth is left on it
        // (veth names are the host's: other daemons' containers take freed ones at once, so no name is checked)
        assertThat(hostSideVeths("bk-kill")).hasSize(1);
        assertNothingLeftOf(ids, ips, p, 10);
        docker("network", "rm", "kill-net");
        assertNetworkGone("bk-kill", netId);
    }

    /** After {@code network rm}: its bridge, placeholder and the rules of its subnet are gone. */
    private static void assertNetworkGone(String bridge, String netId) throws Exception {
        assertThat(ipBriefLinks()).doesNotContain(bridge);
        assertThat(daemon.execRoot.resolve("warm").resolve(netId)).doesNotExist();
        assertThat(iptables("-t", "nat", "-S")).noneMatch(r -> r.contains(bridge));
        assertThat(iptables("-S")).noneMatch(r -> r.contains(bridge));
    }

    @Test
    void aKillNineWhileContainersStartLeaksNoLeasePortRuleOrNamespace() throws Exception {
        String netId = docker("network", "create", "-o", "com.docker.network.bridge.name=bk-fault", "fault-net");
        Random random = new Random();
        List<String> log = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int p = freePorts(4);
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ProcessBuilder client = new ProcessBuilder("/usr/local/bin/docker", "run", "-d", "--name", "f" + round + "-" + i,
                        "--network", "fault-net", "-p", (p + i) + ":80", "busybox", "sleep", "600").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                client.environment().put("DOCKER_HOST", daemon.host());
                clients.add(client.start());
            }
            // the kill lands inside the network set-up: once the first namespace file exists (made just before the
            // leases, ports and netavark), after 0-400 ms more
            Path netns = daemon.execRoot.resolve("netns");
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 60_000_000_000L && !(Files.isDirectory(netns) && hasFiles(netns))) Thread.sleep(10);
            long delay = random.nextInt(400);
            Thread.sleep(delay);
            daemon.killHard();
            for (Process c : clients) c.waitFor(30, TimeUnit.SECONDS);
            daemon = new BerthdProcess(daemon.root).start();
            String names = docker("ps", "-a", "--filter", "name=f" + round + "-", "--format", "{{.Names}} {{.State}}");
            log.add("round " + round + ": killed " + delay + " ms after the first namespace: " + names.replace("\n", ", "));
            List<String> ids = List.of(docker("ps", "-aq", "--no-trunc", "--filter", "name=f" + round + "-").split("\n")).stream()
                    .filter(s -> !s.isBlank()).toList();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(ids);
                docker(rm.toArray(String[]::new));
            }
            assertNothingLeftOf(ids, List.of(), p, 4);
            // at most the placeholder that keeps fault-net warm (none when the kill cut its set-up short)
            if (ipBriefLinks().contains("bk-fault ")) {
                assertThat(hostSideVeths("bk-fault").size()).as("veths on bk-fault (%s)", log).isLessThanOrEqualTo(1);
            }
            Path leases = daemon.dataRoot.resolve("networks/ipam/" + netId + ".json");
            if (Files.exists(leases)) {
                String text = Files.readString(leases);
                for (String id : ids) assertThat(text).as("lease of %s (%s)", id, log).doesNotContain(id);
            }
        }
        System.out.println(String.join("\n", log));
        docker("network", "rm", "fault-net");
        assertNetworkGone("bk-fault", netId);
    }

    /** No rule, namespace file or held port of these containers is left (their veths: see the callers). */
    private static void assertNothingLeftOf(List<String> ids, List<String> ips, int firstPort, int ports) throws Exception {
        List<String> nat = iptables("-t", "nat", "-S");
        List<String> filter = iptables("-S");
        for (int port = firstPort; port < firstPort + ports; port++) {
            String dport = "--dport " + port + " ";
            assertThat(nat.stream().filter(r -> r.contains(dport))).as("nat rules for port %d", port).isEmpty();
            // nothing holds the port: the test can bind it itself
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
            }
        }
        for (String ip : ips) {
            assertThat(nat.stream().filter(r -> r.contains(ip + "/") || r.contains(ip + ":"))).as("nat rules for %s", ip).isEmpty();
            assertThat(filter.stream().filter(r -> r.contains(ip + "/") || r.contains(ip + ":"))).as("filter rules for %s", ip).isEmpty();
        }
        Path netns = daemon.execRoot.resolve("netns");
        for (String id : ids) assertThat(netns.resolve(id)).doesNotExist();
        if (Files.isDirectory(netns)) {
            try (var files = Files.list(netns)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    private static boolean hasFiles(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    private static String ipBriefLinks() throws Exception {
        return Cmd.run(List.of("ip", "-br", "link"), Map.of(), null, Duration.ofSeconds(10)).orFail().stdout();
    }

    /** The host-side veth names of the interfaces on {@code bridge}. */
    private static List<String> hostSideVeths(String bridge) throws Exception {
        String out = Cmd.run(List.of("ip", "-br", "link", "show", "master", bridge), Map.of(), null, Duration.ofSeconds(10)).orFail().stdout();
        return out.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0].replaceAll("@.*", "")).toList();
    }

    /** nat and filter rules that name any of {@code ips} or of the {@code ports} host ports from {@code firstPort}. */
    private static int countRulesFor(List<String> ips, int firstPort, int ports) throws Exception {
        int n = 0;
        for (List<String> rules : List.of(iptables("-t", "nat", "-S"), iptables("-S"))) {
            for (String r : rules) {
                boolean port = false;
                for (int i = firstPort; i < firstPort + ports; i++) port |= r.contains("--dport " + i + " ");
                if (port || ips.stream().anyMatch(ip -> r.contains(ip + "/") || r.contains(ip + ":"))) n++;
            }
        }
        return n;
    }
}
