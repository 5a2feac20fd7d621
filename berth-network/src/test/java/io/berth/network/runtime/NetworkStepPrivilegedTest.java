package io.berth.network.runtime;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerPaths;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The network step against the real kernel, netavark and aardvark-dns, without a daemon: namespaces stand in for
 * containers and busybox runs inside them through nsenter. Test networks use 10.201.7x.0/24 and bridges berth-t7x.
 */
@Tag("privileged")
class NetworkStepPrivilegedTest {
    private static final String BRIDGE = "berth-t71";
    private static final String BRIDGE2 = "berth-t72";

    @TempDir
    Path tmp;
    private Path execRoot;
    private final InMemoryNetworks networks = new InMemoryNetworks();
    private final List<Container> started = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private NetworkSteps steps;

    @BeforeEach
    void setUp() throws IOException {
        execRoot = tmp.resolve("exec");
        networks.add("t71", BRIDGE, "10.201.71", true);
        networks.add("t72", BRIDGE2, "10.201.72", true);
        steps = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
    }

    @AfterEach
    void cleanUp() throws Exception {
        servers.forEach(Process::destroyForcibly);
        for (Container c : started) steps.step().tearDown(new StepRun(c));
        steps.warm().retireAll();
        for (String b : List.of(BRIDGE, BRIDGE2)) sh("ip", "link", "del", b);
        stopAardvark(execRoot);
    }

    /**
     * netavark stops aardvark-dns when the last DNS entry goes; should a test fail before that, the daemon
     * would outlive the test's config dir and keep answering on the test network's gateway for the next test.
     */
    static void stopAardvark(Path execRoot) throws IOException {
        Path pid = execRoot.resolve("netavark/aardvark-dns/aardvark.pid");
        if (Files.exists(pid)) {
            var aardvark = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()));
            if (aardvark.isPresent()) {
                aardvark.get().destroy();
                // it holds the gateway's port 53 until it is gone: the next test's aardvark could not bind it
                try {
                    aardvark.get().onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    aardvark.get().destroyForcibly();
                }
            }
        }
    }

    @Test
    void twoContainersOnOneNetworkReachAndResolveEachOther() throws Exception {
        Container a = container("a", "t71", List.of("alpha"), List.of());
        Container b = container("b", "t71", List.of(), List.of());
        StepRun ra = up(a);
        up(b);
        NetworkStatus sa = NetworkStatusReader.read(a.paths().runDir()).orElseThrow();
        NetworkStatus sb = NetworkStatusReader.read(b.paths().runDir()).orElseThrow();
        String ipA = sa.networks().getFirst().ipv4();
        assertThat(ipA).isEqualTo("10.201.71.2");
        assertThat(sa.networks().getFirst().gateway()).isEqualTo("10.201.71.1");
        assertThat(sa.networks().getFirst().macAddress()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(ra.networkNamespace()).contains(Path.of(sa.netns()));
        assertThat(ra.hostsLines()).contains(ipA + "\t" + a.id().substring(0, 12));
        assertThat(ra.resolvConfContent().orElseThrow()).contains("nameserver 10.201.71.1");

        assertThat(inNs(b, "ping", "-c", "1", "-W", "2", ipA)).contains("1 packets received");
        // aardvark-dns answers the name, an alias and the short id
        assertThat(inNs(b, "nslookup", "a", "10.201.71.1")).contains(ipA);
        assertThat(inNs(b, "nslookup", "alpha", "10.201.71.1")).contains(ipA);
        assertThat(inNs(a, "nslookup", b.id().substring(0, 12), "10.201.71.1")).contains(sb.networks().getFirst().ipv4());
    }

    @Test
    void aPublishedPortForwardsHostLoopbackToTheContainer() throws Exception {
        Container web = container("web", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        up(web);
        NetworkStatus s = NetworkStatusReader.read(web.paths().runDir()).orElseThrow();
        int port = s.ports().getFirst().hostPort();
        assertThat(port).isPositive();
        Path www = tmp.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), "hello from the namespace\n");
        servers.add(new ProcessBuilder("nsenter", "--net=" + s.netns(), "busybox", "httpd", "-f", "-p", "80", "-h", www.toString())
                .redirectErrorStream(true).start());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(body).isEqualTo("hello from the namespace\n");

        // a second container asking for the same host port is refused as Docker refuses it
        Container other = container("other", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", port)));
        assertThatThrownBy(() -> up(other)).hasMessage("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        steps.step().tearDown(new StepRun(other));
    }

    @Test
    void tearDownLeavesNothingAndASecondTearDownIsHarmless() throws Exception {
        Container a = container("a", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        up(a);
        NetworkStatus s = NetworkStatusReader.read(a.paths().runDir()).orElseThrow();
        assertThat(sh("iptables", "-t", "nat", "-S")).contains("10.201.71.");
        steps.step().tearDown(new StepRun(a));
        assertNothingLeftOf(a, s);
        steps.step().tearDown(new StepRun(a));
        assertNothingLeftOf(a, s);
        assertThat(networks.leaseCount()).as("the placeholder's").isEqualTo(1);
        // the network's removal retires its placeholder: with it go the bridge and the network's rules
        steps.warm().retire(networks.find("t71").orElseThrow().id());
        assertNothingLeft(a, s);
        assertThat(networks.leaseCount()).isZero();
    }

    @Test
    void aWarmNetworkKeepsItsBridgeRulesAndResolverFromItsFirstContainerUntilItIsRetired() throws Exception {
        String t71 = networks.find("t71").orElseThrow().id();
        Container a = container("a", "t71", List.of(), List.of());
        up(a);
        assertThat(steps.warm().isWarm(t71)).isTrue();
        assertThat(NetworkStatusReader.read(a.paths().runDir()).orElseThrow().networks().getFirst().ipv4())
                .as("the placeholder takes the top address, the first container Docker's first").isEqualTo("10.201.71.2");
        List<String> natRules = subnetRules();
        long aardvark = aardvarkPid();
        steps.step().tearDown(new StepRun(a));
        // the last container went: bridge, NAT rules and aardvark-dns stay for the next one
        assertThat(sh("ip", "link")).contains(BRIDGE + ":");
        assertThat(subnetRules()).isEqualTo(natRules);
        assertThat(aardvarkPid()).isEqualTo(aardvark);
        assertThat(ProcessHandle.of(aardvark)).isPresent();

        Container b = container("b", "t71", List.of("beta"), List.of());
        up(b);
        assertThat(inNs(b, "ping", "-c", "1", "-W", "2", "10.201.71.1")).contains("1 packets received");
        assertThat(inNs(b, "nslookup", "beta", "10.201.71.1")).contains(NetworkStatusReader.read(b.paths().runDir()).orElseThrow().networks().getFirst().ipv4());
        assertThat(subnetRules()).as("nothing doubled").isEqualTo(natRules);

        // a berthd started again after a kill -9 keeps the placeholder: nothing on the host changes
        NetworkSteps again = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        assertThat(again.warm().isWarm(t71)).isTrue();
        steps.step().tearDown(new StepRun(b));
        assertThat(sh("ip", "link")).contains(BRIDGE + ":");
        assertThat(subnetRules()).isEqualTo(natRules);

        again.warm().retireAll();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.71.");
        assertThat(sh("iptables", "-S")).doesNotContain("10.201.71.");
        assertThat(networks.leaseCount()).isZero();
        assertThat(execRoot.resolve("warm")).isEmptyDirectory();
        // netavark signals aardvark-dns to stop with the network's last name
        for (int i = 0; i < 50 && ProcessHandle.of(aardvark).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(100);
        assertThat(ProcessHandle.of(aardvark).map(ProcessHandle::isAlive).orElse(false)).as("aardvark-dns stopped with the last name").isFalse();
    }

    @Test
    void aPlaceholderOfANetworkRemovedMeanwhileIsTornDownAtTheNextStart() throws Exception {
        Container a = container("a", "t71", List.of(), List.of());
        up(a);
        steps.step().tearDown(new StepRun(a));
        InMemoryNetworks without = new InMemoryNetworks();
        NetworkSteps again = NetworkSteps.create(execRoot, without, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        assertThat(again.warm().isWarm(networks.find("t71").orElseThrow().id())).isFalse();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(networks.leaseCount()).isZero();
        assertThat(execRoot.resolve("warm")).isEmptyDirectory();
    }

    /** The host's NAT rules that name network t71's subnet. */
    private static List<String> subnetRules() throws Exception {
        return sh("iptables", "-t", "nat", "-S").lines().filter(l -> l.contains("10.201.71.")).toList();
    }

    private long aardvarkPid() throws IOException {
        return Long.parseLong(Files.readString(execRoot.resolve("netavark/aardvark-dns/aardvark.pid")).trim());
    }

    @Test
    void aSetupKilledBeforeItsResultWasWrittenIsUndoneFromTheWriteAheadRecord() throws Exception {
        Container a = container("a", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        up(a);
        NetworkStatus s = NetworkStatusReader.read(a.paths().runDir()).orElseThrow();
        // as if berthd died right after netavark setup: no result record, no port sockets held any more
        Files.delete(new NetworkRecords(a.paths().runDir()).statusFile());
        NetworkSteps restarted = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        restarted.step().tearDown(new StepRun(a));
        assertNothingLeftOf(a, s);
        restarted.warm().retireAll();
        assertNothingLeft(a, s);
        assertThat(networks.leaseCount()).isZero();
    }

    @Test
    void aStartAfterACrashSetsUpOverWhatTheLastAttemptLeft() throws Exception {
        Container a = container("a", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        up(a);
        Files.delete(new NetworkRecords(a.paths().runDir()).statusFile());
        NetworkSteps restarted = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        StepRun run = new StepRun(a);
        restarted.step().setUp(run);
        run.awaitBeforeStart();
        NetworkStatus s = NetworkStatusReader.read(a.paths().runDir()).orElseThrow();
        assertThat(s.networks().getFirst().ipv4()).isEqualTo("10.201.71.2");
        assertThat(nsLinks(a)).contains("eth0");
        restarted.step().tearDown(run);
        assertNothingLeftOf(a, s);
        restarted.warm().retireAll();
        assertNothingLeft(a, s);
    }

    @Test
    void addHostEntriesAndHostGateway() throws Exception {
        Container a = container("a", "t71", List.of(), List.of());
        NetworkSpec spec = a.spec().network();
        NetworkSpec withHosts = new NetworkSpec("web", spec.mode(), spec.attachments(), spec.ports(), spec.exposed(), false,
                List.of(), List.of("corp.example"), List.of(), List.of(new NetworkSpec.HostEntry("host.docker.internal", "host-gateway")));
        Container c = new Container(ContainerSpec.builder(a.id()).name("a").network(withHosts).build(), "a", ContainerState.created(), 0,
                "crun", 0, false, a.paths());
        StepRun run = up(c);
        assertThat(run.hostsLines()).containsExactly("10.201.71.1\thost.docker.internal", "10.201.71.2\tweb");
        assertThat(run.resolvConfContent().orElseThrow()).isEqualTo("search corp.example\nnameserver 10.201.71.1\noptions ndots:0\n");
    }

    @Test
    void netavarkWiresTheNamespaceWhileTheRuntimeCreatesTheContainerAndATearDownWaitsForIt() throws Exception {
        // a netavark that, for container "slow", answers only once the test lets it (the file "go" exists)
        Path log = tmp.resolve("netavark.log");
        Path go = tmp.resolve("go");
        Path fake = tmp.resolve("slow-netavark");
        Files.writeString(fake, """
                #!/bin/sh
                while [ $# -gt 0 ]; do case "$1" in --file) f=$2; shift;; setup|teardown) cmd=$1;; esac; shift; done
                name=$(grep -o '"container_name":"[^"]*"' "$f" | cut -d'"' -f4)
                echo "$cmd $name" >> LOG
                if [ "$cmd" = setup ]; then
                  if [ "$name" = slow ]; then while [ ! -e GO ]; do sleep 0.05; done; fi
                  echo '{"berth-t71":{"interfaces":{"eth0":{"mac_address":"02:00:00:00:00:01","subnets":[{"ipnet":"10.201.71.2/24","gateway":"10.201.71.1"}]}}}}'
                fi
                echo "$cmd $name done" >> LOG
                """.replace("LOG", log.toString()).replace("GO", go.toString()));
        fake.toFile().setExecutable(true);
        Netavark slow = new Netavark(fake, Path.of("/usr/lib/podman/aardvark-dns"), execRoot.resolve("netavark"));
        WarmNetworks warm = new WarmNetworks(execRoot, networks, slow);
        NetworkStep step = new NetworkStep(execRoot, networks, networks, slow, new PortReservations(), warm,
                new PrewiredNamespaces(execRoot, networks, slow, warm), id -> Optional.empty(), Path.of("/etc"));
        Container c = container("slow", "t71", List.of(), List.of());
        StepRun run = new StepRun(c);

        // the step returns with netavark still running: the runtime would create the container meanwhile
        var setUp = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                step.setUp(run);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        setUp.get(30, TimeUnit.SECONDS);
        assertThat(run.networkNamespace()).contains(Netns.path(execRoot, c.id()));
        assertThat(run.hostsLines()).contains("10.201.71.2\t" + c.id().substring(0, 12));
        assertThat(run.resolvConfContent().orElseThrow()).contains("nameserver 10.201.71.1");
        assertThat(NetworkStatusReader.read(c.paths().runDir())).as("no result before netavark answers").isEmpty();

        // a tear-down (a failed create, say) waits for the set-up before undoing it
        var tearDown = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                step.tearDown(new StepRun(c));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(tearDown).isNotDone();
        Files.createFile(go);
        run.awaitBeforeStart();
        tearDown.get(30, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(log).stream().filter(l -> l.endsWith(" slow") || l.endsWith(" slow done")).toList())
                .containsExactly("setup slow", "setup slow done", "teardown slow", "teardown slow done");
        warm.retireAll();
    }

    @Test
    void aFailingNetavarkFailsTheStartWithItsMessageAndTearDownCleansUp() throws Exception {
        Path fake = tmp.resolve("netavark");
        Files.writeString(fake, "#!/bin/sh\necho '{\"error\":\"bridge exploded\"}'\nexit 1\n");
        fake.toFile().setExecutable(true);
        Netavark failing = new Netavark(fake, Path.of("/usr/lib/podman/aardvark-dns"), execRoot.resolve("netavark"));
        NetworkStep broken = new NetworkStep(execRoot, networks, networks, failing, new PortReservations(),
                new WarmNetworks(execRoot, networks, failing),
                new PrewiredNamespaces(execRoot, networks, failing, new WarmNetworks(execRoot, networks, failing)), id -> Optional.empty(), Path.of("/etc"));
        Container a = container("a", "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        StepRun start = new StepRun(a);
        broken.setUp(start);
        // netavark runs while the runtime would create the container: its failure comes before the process starts
        assertThatThrownBy(start::awaitBeforeStart).hasMessage("netavark setup failed: bridge exploded");
        // the write-ahead record is there, the result is not: what a kill just before or inside setup leaves
        NetworkRecords records = new NetworkRecords(a.paths().runDir());
        assertThat(records.readTeardown().orElseThrow().options()).isNotNull();
        assertThat(records.readStatus()).isEmpty();
        assertThat(networks.leaseCount()).isEqualTo(1);
        steps.step().tearDown(new StepRun(a));
        assertThat(networks.leaseCount()).isZero();
        assertThat(Files.exists(Netns.path(execRoot, a.id()))).isFalse();
        assertThat(Files.exists(records.dir())).isFalse();
    }

    @Test
    void aMacAddressAskedForIsTheOneGivenAndUdpIsForwarded() throws Exception {
        String id = ("m" + "0123456789abcdef".repeat(4)).substring(0, 64);
        NetworkSpec spec = new NetworkSpec("", "t71", List.of(new NetworkSpec.Attachment("t71", "", List.of(), "10.201.71.50", "", "02:42:0a:c9:47:32")),
                List.of(new NetworkSpec.PortBinding(5353, "udp", "127.0.0.1", 0)), List.of(), false, List.of(), List.of(), List.of(), List.of());
        Container c = new Container(ContainerSpec.builder(id).name("m").network(spec).build(), "m", ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, id));
        started.add(c);
        up(c);
        NetworkStatus s = NetworkStatusReader.read(c.paths().runDir()).orElseThrow();
        assertThat(s.networks().getFirst().macAddress()).isEqualTo("02:42:0a:c9:47:32");
        assertThat(s.networks().getFirst().ipv4()).isEqualTo("10.201.71.50");
        assertThat(s.ports().getFirst().protocol()).isEqualTo("udp");
        // Debian's busybox nc has no UDP: a few lines of python3 receive one datagram inside the namespace
        Path recv = tmp.resolve("udprecv.py");
        Files.writeString(recv, "import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',5353))\n"
                + "s.settimeout(10)\nprint('ready',flush=True)\nd,a=s.recvfrom(100)\nsys.stdout.write(d.decode())\n");
        Process nc = new ProcessBuilder("nsenter", "--net=" + s.netns(), "python3", recv.toString()).start();
        servers.add(nc);
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(nc.getInputStream()));
        assertThat(out.readLine()).isEqualTo("ready");
        try (var ch = java.nio.channels.DatagramChannel.open()) {
            ch.send(java.nio.ByteBuffer.wrap("ping over udp\n".getBytes()), new java.net.InetSocketAddress("127.0.0.1", s.ports().getFirst().hostPort()));
        }
        String got = out.readLine() + "\n";
        assertThat(got).isEqualTo("ping over udp\n");
    }

    @Test
    void concurrentStartsAndStopsOnOneNetworkAllGetAWorkingNetwork() throws Exception {
        // the last container's teardown removes the bridge and the network's NAT rules: a start racing it must
        // not lose either
        int threads = 6;
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Container c = container("w" + t, "t71", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "127.0.0.1", 0)));
            workers.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 4; round++) {
                    try {
                        StepRun run = new StepRun(c);
                        steps.step().setUp(run);
                        run.awaitBeforeStart();
                        String out = inNs(c, "ping", "-c", "1", "-W", "2", "10.201.71.1");
                        if (!out.contains("1 packets received")) failures.add(c.name() + " round " + round + ": " + out);
                        if (!sh("iptables", "-t", "nat", "-S", "POSTROUTING").contains("10.201.71.0/24")) failures.add(c.name() + " round " + round + ": no masquerade rule");
                    } catch (Exception e) {
                        failures.add(c.name() + " round " + round + ": " + e.getMessage());
                    } finally {
                        try {
                            steps.step().tearDown(new StepRun(c));
                        } catch (Exception e) {
                            failures.add(c.name() + " teardown: " + e.getMessage());
                        }
                    }
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertThat(failures).isEmpty();
        steps.warm().retire(networks.find("t71").orElseThrow().id());
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.71.");
    }

    @Test
    void connectAndDisconnectARunningContainer() throws Exception {
        Container a = container("a", "t71", List.of(), List.of());
        Container b = container("b", "t72", List.of(), List.of());
        up(a);
        up(b);
        String ipB = NetworkStatusReader.read(b.paths().runDir()).orElseThrow().networks().getFirst().ipv4();
        assertThat(inNs(a, "ping", "-c", "1", "-W", "1", ipB)).doesNotContain("1 packets received");

        var e = steps.attacher().connect(a.id(), a.paths().runDir(), new NetworkSpec.Attachment("t72", "", List.of("late"), "", "", ""));
        assertThat(e.ipv4()).startsWith("10.201.72.");
        assertThat(NetworkStatusReader.read(a.paths().runDir()).orElseThrow().networks()).extracting(NetworkStatus.Endpoint::network)
                .containsExactly("t71", "t72");
        assertThat(inNs(a, "ping", "-c", "1", "-W", "2", ipB)).contains("1 packets received");
        assertThat(inNs(b, "nslookup", "late", "10.201.72.1")).contains(e.ipv4());

        steps.attacher().disconnect(a.id(), a.paths().runDir(), "t72");
        assertThat(NetworkStatusReader.read(a.paths().runDir()).orElseThrow().networks()).extracting(NetworkStatus.Endpoint::network)
                .containsExactly("t71");
        assertThat(nsLinks(a)).doesNotContain("eth1");
        assertThat(inNs(a, "ping", "-c", "1", "-W", "1", ipB)).doesNotContain("1 packets received");
        steps.step().tearDown(new StepRun(a));
        assertThat(networks.leaseCount()).isEqualTo(3); // b's and the two placeholders
    }

    /** The container's namespace, records and forwarded ports are gone (its network stays warm). */
    private void assertNothingLeftOf(Container c, NetworkStatus s) throws Exception {
        assertThat(Files.exists(Path.of(s.netns()))).isFalse();
        assertThat(Files.exists(new NetworkRecords(c.paths().runDir()).dir())).isFalse();
        String ip = s.networks().getFirst().ipv4();
        assertThat(sh("iptables", "-t", "nat", "-S").lines().filter(l -> l.contains(ip + ":") || l.contains(ip + "/"))).isEmpty();
        for (NetworkStatus.Port p : s.ports()) assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("--dport " + p.hostPort() + " ");
    }

    private void assertNothingLeft(Container c, NetworkStatus s) throws Exception {
        assertNothingLeftOf(c, s);
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.71.");
        assertThat(sh("iptables", "-S")).doesNotContain("10.201.71.");
    }

    private Container container(String name, String network, List<String> aliases, List<NetworkSpec.PortBinding> ports) {
        String id = (name + "0123456789abcdef".repeat(4)).substring(0, 64);
        NetworkSpec spec = new NetworkSpec("", network, List.of(new NetworkSpec.Attachment(network, "", aliases, "", "", "")),
                ports, List.of(), false, List.of(), List.of(), List.of(), List.of());
        Container c = new Container(ContainerSpec.builder(id).name(name).network(spec).build(), name, ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, id));
        started.add(c);
        return c;
    }

    private StepRun up(Container c) throws IOException {
        StepRun run = new StepRun(c);
        steps.step().setUp(run);
        run.awaitBeforeStart();
        return run;
    }

    private String nsLinks(Container c) throws Exception {
        return NetnsShell.links(Netns.path(execRoot, c.id()));
    }

    private String inNs(Container c, String... busybox) throws Exception {
        return NetnsShell.busybox(Netns.path(execRoot, c.id()), busybox);
    }

    private static String sh(String... cmd) throws Exception {
        return NetnsShell.run(cmd);
    }
}
