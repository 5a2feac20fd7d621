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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Namespaces wired ahead of their containers on a network without name resolution (as berthd's default bridge),
 * against the real kernel and netavark: the start takes one without running netavark, the tear-down finishes after
 * the step returns, and what a kill leaves is undone at the next start. Network 10.201.73.0/24, bridge berth-t73.
 */
@Tag("privileged")
class PrewiredNamespacesPrivilegedTest {
    private static final String BRIDGE = "berth-t73";

    @TempDir
    Path tmp;
    private Path execRoot;
    private final InMemoryNetworks networks = new InMemoryNetworks();
    private final List<Container> started = new ArrayList<>();
    private NetworkSteps steps;
    private NetworkCatalog.NetworkFacts t73;

    @BeforeEach
    void setUp() throws IOException {
        execRoot = tmp.resolve("exec");
        t73 = networks.add("t73", BRIDGE, "10.201.73", false);
        steps = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Container c : started) steps.step().tearDown(new StepRun(c));
        steps.retireAll();
        sh("ip", "link", "del", BRIDGE);
    }

    @Test
    void aContainerTakesANamespaceWiredBeforeItsStartAndItsTearDownFinishesAfterIt() throws Exception {
        steps.warmUpDefaultBridge(t73);
        // the first container is wired on its own path (no namespace is made before it: it gets the first address)
        Container first = container("first", List.of());
        up(first);
        assertThat(new NetworkRecords(first.paths().runDir()).netavarkInput()).exists();
        assertThat(NetworkStatusReader.read(first.paths().runDir()).orElseThrow().networks().getFirst().ipv4()).isEqualTo("10.201.73.2");
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready after it");
        steps.step().tearDown(new StepRun(first));
        await(() -> entries("spent-").isEmpty(), "the first one's namespace torn down");
        Path readyHome = entries("ready-").getFirst();

        Container a = container("a", List.of());
        up(a);
        NetworkRecords records = new NetworkRecords(a.paths().runDir());
        assertThat(records.netavarkInput()).as("no netavark ran on the container's start").doesNotExist();
        assertThat(readyHome).as("the ready namespace was handed over").doesNotExist();
        NetworkStatus s = records.readStatus().orElseThrow();
        assertThat(s.netns()).isEqualTo(Netns.path(execRoot, a.id()).toString());
        String ipA = s.networks().getFirst().ipv4();
        assertThat(ipA).as("the next address, the ready namespace's").isEqualTo("10.201.73.3");
        assertThat(networks.lease(t73.id(), a.id())).contains(ipA);
        assertThat(records.readTeardown().orElseThrow().options().containerId()).isEqualTo(a.id());
        assertThat(nsLinks(a)).contains("eth0");
        assertThat(inNs(a, "ping", "-c", "1", "-W", "2", "10.201.73.1")).contains("1 packets received");

        // a container that publishes a port is wired on its own path, and reaches the first
        Container b = container("b", List.of(new NetworkSpec.PortBinding(80, "tcp", "127.0.0.1", 0)));
        up(b);
        assertThat(new NetworkRecords(b.paths().runDir()).netavarkInput()).exists();
        assertThat(inNs(b, "ping", "-c", "1", "-W", "2", ipA)).contains("1 packets received");
        assertThat(steps.prewired().readyCount()).as("the next one is made after a container's end, not during a start").isZero();

        String vethsBefore = hostVeths();
        steps.step().tearDown(new StepRun(a));
        assertThat(Netns.path(execRoot, a.id())).as("the container's own namespace file goes at once").doesNotExist();
        assertThat(records.dir()).doesNotExist();
        assertThat(networks.lease(t73.id(), a.id())).isEmpty();
        await(() -> entries("spent-").isEmpty(), "the spent namespace torn down");
        await(() -> steps.prewired().readyCount() == 1, "the next namespace made ready");
        assertThat(networks.lease(t73.id(), a.id())).isEmpty();
        assertThat(hostVeths().lines().count()).as("a's veth gone, the next namespace's made").isEqualTo(vethsBefore.lines().count());
        assertThat(networks.leaseCount()).as("the placeholder's, the ready namespace's and b's").isEqualTo(3);

        steps.step().tearDown(new StepRun(b));
        steps.retireAll();
        assertThat(execRoot.resolve("prewired")).isEmptyDirectory();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.73.");
        assertThat(sh("iptables", "-S")).doesNotContain("10.201.73.");
        assertThat(networks.leaseCount()).isZero();
    }

    @Test
    void whatAKillLeftIsTornDownAtTheNextStartAndARunningContainerKeepsItsNamespace() throws Exception {
        steps.warmUpDefaultBridge(t73);
        Container a = container("a", List.of());
        up(a);
        await(() -> steps.prewired().readyCount() == 1, "the next namespace made ready");
        Container b = container("b", List.of());
        up(b);
        assertThat(new NetworkRecords(b.paths().runDir()).netavarkInput()).as("b took the ready namespace").doesNotExist();
        Container c = container("c", List.of());
        up(c);
        assertThat(new NetworkRecords(c.paths().runDir()).netavarkInput()).as("none was ready for c").exists();
        await(() -> steps.prewired().readyCount() == 1, "the next namespace made ready");
        Path leftover = entries("ready-").getFirst();

        // berthd killed: a new one on the same exec root tears the ready namespace down, and only that
        NetworkSteps again = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        assertThat(leftover).doesNotExist();
        assertThat(networks.lease(t73.id(), leftover.getFileName().toString().substring("ready-".length()))).isEmpty();
        assertThat(inNs(a, "ping", "-c", "1", "-W", "2", "10.201.73.1")).contains("1 packets received");

        assertThat(inNs(b, "ping", "-c", "1", "-W", "2", "10.201.73.1")).contains("1 packets received");

        // the new berthd tears the containers down itself (it serves no network yet), leaving nothing
        again.step().tearDown(new StepRun(a));
        again.step().tearDown(new StepRun(b));
        again.step().tearDown(new StepRun(c));
        assertThat(Netns.path(execRoot, a.id())).doesNotExist();
        assertThat(Netns.path(execRoot, b.id())).doesNotExist();
        again.retireAll();
        steps.retireAll();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.73.");
        assertThat(networks.leaseCount()).isZero();
    }

    @Test
    void aStopLeavesANamespaceBeingHandedOverToItsStart() throws Exception {
        steps.warmUpDefaultBridge(t73);
        up(container("first", List.of())); // wired on its own path; a namespace is made after it
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        Container c = container("c", List.of());
        PrewiredNamespaces.Ready ready = steps.prewired().take(t73).orElseThrow();
        // berthd stops while c's start is between its take and its hand-over (the server does not wait for it)
        steps.prewired().close();
        Path netns = Netns.path(execRoot, c.id());
        String name = Endpoints.netavarkName(t73);
        NetavarkJson.Options options = new NetavarkJson.Options(c.id(), c.name(), java.util.Map.of(name,
                Endpoints.perNetwork(c.id(), c.spec().network().attachments().getFirst(), t73, "eth0", ready.addresses())),
                java.util.Map.of(name, Endpoints.network(t73)), null, null);
        new NetworkRecords(c.paths().runDir()).writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(t73.id()), options));
        steps.prewired().handOver(ready, c.id(), netns);
        assertThat(networks.lease(t73.id(), c.id())).as("the address is the container's").contains(ready.addresses().getFirst());
        assertThat(nsLinks(c)).as("its interface was not torn down under it").contains("eth0");
        assertThat(entries("ready-")).isEmpty();
    }

    @Test
    void aStartThatFailsBeforeTheHandOverGivesTheTakenNamespaceBack() throws Exception {
        steps.warmUpDefaultBridge(t73);
        up(container("first", List.of()));
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        Path readyHome = entries("ready-").getFirst();
        String key = readyHome.getFileName().toString().substring("ready-".length());
        Container c = container("c", List.of());
        String records = new NetworkRecords(c.paths().runDir()).dir().toString();
        Files.createDirectories(Path.of(records));
        sh("mount", "--bind", records, records); // read-only: its write-ahead record cannot be written
        sh("mount", "-o", "remount,bind,ro", records);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> up(c)).isInstanceOf(IOException.class)
                    .hasMessageContaining("Read-only");
        } finally {
            sh("umount", records);
        }
        await(() -> !Files.exists(readyHome), "the taken namespace torn down");
        assertThat(networks.lease(t73.id(), key)).as("its address given back").isEmpty();

        // the same when the release of what the container may still hold from a run before fails
        steps.step().tearDown(new StepRun(c));
        Container d = container("d", List.of());
        steps.step().tearDown(new StepRun(container("first", List.of()))); // a container's end makes the next one
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        Path next = entries("ready-").getFirst();
        networks.refuseRelease.add(d.id());
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> up(d)).hasMessageContaining("cannot write address leases");
        } finally {
            networks.refuseRelease.remove(d.id());
        }
        await(() -> !Files.exists(next), "the namespace taken by d torn down");
    }

    @Test
    void anEndedContainersInterfaceServesTheNextContainerInAFreshNamespace() throws Exception {
        steps.warmUpDefaultBridge(t73);
        Container first = container("first", List.of());
        up(first); // on its own path; a namespace is made by netavark after it
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        Container a = container("a", List.of());
        up(a);
        Path nsA = Netns.path(execRoot, a.id());
        NetworkStatus.Endpoint endA = NetworkStatusReader.read(a.paths().runDir()).orElseThrow().networks().getFirst();
        // what netavark made, to compare the recycled interface with
        String addrMade = addr(nsA), routesMade = sh("nsenter", "--net=" + nsA, "ip", "-d", "route"), sysctlsMade = sysctls(nsA);
        assertThat(routesMade).contains("default via 10.201.73.1");
        // a's traffic, counted on its interface; a process that keeps a listening socket in a's namespace beyond a's end
        assertThat(inNs(a, "ping", "-c", "3", "-W", "2", "10.201.73.1")).contains("3 packets transmitted").doesNotContain(" 0 packets received");
        Process listener = new ProcessBuilder("nsenter", "--net=" + nsA, "busybox", "nc", "-l", "-p", "7777").start();
        try {
            await(() -> sh("nsenter", "--net=" + nsA, "ss", "-ltn").contains(":7777"), "a's listener up");
            assertThat(connect(Netns.path(execRoot, first.id()), endA.ipv4())).as("a's listener answers before").isEqualTo("open");

            steps.step().tearDown(new StepRun(a));
            await(() -> steps.prewired().readyCount() == 1, "a's interface made ready in a fresh namespace");
            Path home = entries("ready-").getFirst();
            assertThat(new NetworkRecords(home).netavarkInput()).as("no netavark ran for it").doesNotExist();
            assertThat(home.resolve(NamespaceHomes.MOVING_FROM)).as("the spent namespace's mount dropped").doesNotExist();
            assertThat(entries("spent-")).as("nothing torn down").isEmpty();

            Container b = container("b", List.of());
            up(b);
            Path nsB = Netns.path(execRoot, b.id());
            NetworkStatus.Endpoint endB = NetworkStatusReader.read(b.paths().runDir()).orElseThrow().networks().getFirst();
            assertThat(endB.ipv4()).as("a's address").isEqualTo(endA.ipv4());
            assertThat(endB.macAddress()).as("a's MAC, with a's address (as Docker derives the MAC from the address)").isEqualTo(endA.macAddress());
            assertThat(networks.lease(t73.id(), b.id())).contains(endB.ipv4());
            // counters from zero: the hand-over's baseline holds a's traffic
            long[] base = eth0(new NetworkRecords(b.paths().runDir()).readCounterBaseline().orElseThrow());
            long[] now = eth0(sh("nsenter", "--net=" + nsB, "cat", "/proc/net/dev"));
            assertThat(base[3]).as("a's packets, counted before the hand-over").isGreaterThanOrEqualTo(3);
            assertThat(now[3] - base[3]).as("b's own packets sent").isLessThanOrEqualTo(3);
            assertThat(now[1] - base[1]).as("b's own packets received").isLessThanOrEqualTo(3);
            // fresh: a's listener stays in a's namespace, which b never sees
            assertThat(sh("nsenter", "--net=" + nsB, "ss", "-altn")).doesNotContain(":7777");
            assertThat(connect(Netns.path(execRoot, first.id()), endB.ipv4())).as("nothing listens at the address now").isEqualTo("closed");
            assertThat(inNs(b, "ping", "-c", "1", "-W", "2", "10.201.73.1")).as("the gateway").contains("1 packets received");
            String ipFirst = NetworkStatusReader.read(first.paths().runDir()).orElseThrow().networks().getFirst().ipv4();
            assertThat(inNs(b, "ping", "-c", "1", "-W", "2", ipFirst)).as("another container").contains("1 packets received");
            // as netavark made it
            assertThat(addr(nsB)).isEqualTo(addrMade);
            assertThat(sh("nsenter", "--net=" + nsB, "ip", "-d", "route")).isEqualTo(routesMade);
            assertThat(sysctls(nsB)).isEqualTo(sysctlsMade);
        } finally {
            listener.destroyForcibly().waitFor();
        }
    }

    @Test
    void aContainerThatCouldHaveChangedItsInterfaceHasItTornDown() throws Exception {
        steps.warmUpDefaultBridge(t73);
        up(container("first", List.of()));
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        // CAP_NET_ADMIN: it may have changed its interface
        Container admin = container("admin", List.of(), b -> b.capAdd(List.of("net_admin")));
        up(admin);
        assertThat(new NetworkRecords(admin.paths().runDir()).netavarkInput()).as("it took the ready namespace").doesNotExist();
        steps.step().tearDown(new StepRun(admin));
        await(() -> steps.prewired().readyCount() == 1 && entries("spent-").isEmpty(), "torn down, and a namespace made by netavark");
        assertThat(new NetworkRecords(entries("ready-").getFirst()).netavarkInput()).as("netavark made the next one").exists();

        // a namespace another container joined: that one may have had any capability
        Container joined = container("joined", List.of());
        up(joined);
        Container joiner = new Container(ContainerSpec.builder(("joiner" + "0123456789abcdef".repeat(4)).substring(0, 64)).name("joiner")
                .network(new NetworkSpec("", NetworkSpec.CONTAINER_PREFIX + joined.id(), List.of(), List.of(), List.of(), false,
                        List.of(), List.of(), List.of(), List.of(), List.of())).build(), "joiner", ContainerState.created(), 0, "crun", 0, false,
                ContainerPaths.of(tmp.resolve("data"), execRoot, ("joiner" + "0123456789abcdef".repeat(4)).substring(0, 64)));
        up(joiner);
        assertThat(Netns.wasJoined(Netns.path(execRoot, joined.id()))).isTrue();
        steps.step().tearDown(new StepRun(joiner));
        steps.step().tearDown(new StepRun(joined));
        await(() -> steps.prewired().readyCount() == 1 && entries("spent-").isEmpty(), "torn down, and a namespace made by netavark");
        assertThat(new NetworkRecords(entries("ready-").getFirst()).netavarkInput()).as("netavark made the next one").exists();
        assertThat(Netns.wasJoined(Netns.path(execRoot, joined.id()))).as("the marker went with the namespace").isFalse();

        // a MAC of its own: wired on its own path, and its interface (with that MAC) is not handed on
        Container mac = new Container(ContainerSpec.builder(("mac" + "0123456789abcdef".repeat(4)).substring(0, 64)).name("mac")
                .network(new NetworkSpec("", "t73", List.of(new NetworkSpec.Attachment("t73", "", List.of(), "", "", "02:42:0a:c9:49:63", List.of())),
                        List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(), List.of())).build(), "mac", ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, ("mac" + "0123456789abcdef".repeat(4)).substring(0, 64)));
        started.add(mac);
        Container taker = container("taker", List.of());
        up(taker); // takes the ready one: none is ready at mac's end
        up(mac);
        assertThat(new NetworkRecords(mac.paths().runDir()).netavarkInput()).as("wired on its own path").exists();
        await(() -> steps.prewired().readyCount() == 0, "none ready");
        steps.step().tearDown(new StepRun(mac));
        started.remove(mac);
        await(() -> steps.prewired().readyCount() == 1 && entries("spent-").isEmpty(), "torn down, and a namespace made by netavark");
        assertThat(new NetworkRecords(entries("ready-").getFirst()).netavarkInput()).as("netavark made the next one").exists();

        // a net.* sysctl set for it
        Container tuned = container("tuned", List.of(), b -> b.resources(new io.berth.runtime.Resources(0, 0, 0, 0, 0, 0, null, false, null, null,
                new io.berth.runtime.Resources.ProcessLimits(0, 0, List.of(), java.util.Map.of("net.ipv4.tcp_ecn", "1")))));
        assertThat(InterfaceReuse.allows(tuned.spec(), Netns.path(execRoot, tuned.id()), false)).isFalse();
    }

    @Test
    void whatAKillLeftMidRecyclingIsUndoneOnceFromTheRecords() throws Exception {
        steps.warmUpDefaultBridge(t73);
        Container first = container("first", List.of());
        up(first);
        await(() -> steps.prewired().readyCount() == 1, "a namespace made ready");
        for (int step = 1; step <= 3; step++) {
            Container a = container("a" + step, List.of());
            up(a);
            // after the first, none is ready for a: one is made after it, and the next berthd's start tears it down too
            if (step > 1) await(() -> steps.prewired().readyCount() == 1, "a namespace made ready after a");
            int alsoGone = steps.prewired().readyCount();
            Path nsA = Netns.path(execRoot, a.id());
            NetworkRecords.Teardown t = new NetworkRecords(a.paths().runDir()).readTeardown().orElseThrow();
            NetworkStatus.Endpoint e = NetworkStatusReader.read(a.paths().runDir()).orElseThrow().networks().getFirst();
            // the recycling's steps by hand, as far as step N, then berthd "killed": its records are all there is
            String key = "f".repeat(63) + step;
            Path home = execRoot.resolve("prewired").resolve("ready-" + key);
            Path netns = home.resolve("netns"), spent = home.resolve(NamespaceHomes.MOVING_FROM);
            String name = Endpoints.netavarkName(t73);
            new NetworkRecords(home).writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(t73.id()),
                    new NetavarkJson.Options(key, PrewiredNamespaces.NAME, java.util.Map.of(name, Endpoints.perNetwork(key,
                            new NetworkSpec.Attachment("t73", t73.id(), List.of(), "", "", ""), t73, "eth0", List.of(e.ipv4()))),
                            java.util.Map.of(name, Endpoints.network(t73)), null, null)));
            Netns.bind(nsA, spent);
            networks.transfer(t73.id(), a.id(), key);
            if (step >= 2) {
                Netns.create(netns);
                InterfaceRecycling.move(spent, netns, "eth0", t73, e, home);
            }
            if (step >= 3) Netns.delete(spent);
            String veths = hostVeths();
            assertThat(veths).as("a's veth still on the bridge").contains("master " + BRIDGE);

            // the next berthd: the entry is torn down at its start, the container's records at its recovery, in that order
            NetworkSteps again = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
            assertThat(home).doesNotExist();
            again.step().tearDown(new StepRun(a));
            assertThat(nsA).doesNotExist();
            assertThat(networks.lease(t73.id(), key)).isEmpty();
            assertThat(networks.lease(t73.id(), a.id())).isEmpty();
            assertThat(hostVeths().lines().count()).as("step " + step + ": a's veth gone").isEqualTo(veths.lines().count() - 1 - alsoGone);
            again.retireAll();
            started.remove(a);
            steps = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
            steps.warmUpDefaultBridge(t73);
        }
        steps.step().tearDown(new StepRun(first));
        started.remove(first);
        steps.retireAll();
        assertThat(execRoot.resolve("prewired")).isEmptyDirectory();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(networks.leaseCount()).isZero();
    }

    /** `ip -d addr show eth0` without what changes by the moment (lifetimes, DAD's state). */
    private static String addr(Path netns) throws Exception {
        return sh("nsenter", "--net=" + netns, "ip", "-d", "addr", "show", "eth0").replace(" tentative", "");
    }

    /** The namespace's net.* sysctls, those that count (connections, conntrack) left out. */
    private static String sysctls(Path netns) throws Exception {
        return sh("nsenter", "--net=" + netns, "sysctl", "-a").lines()
                .filter(l -> l.startsWith("net.") && !l.contains("stable_secret") && !l.contains("_count ") && !l.contains("nf_conntrack_count"))
                .sorted().collect(java.util.stream.Collectors.joining("\n"));
    }

    /** eth0's counters in /proc/net/dev: rx bytes, rx packets, tx bytes, tx packets. */
    private static long[] eth0(String netDev) {
        String line = netDev.lines().filter(l -> l.strip().startsWith("eth0:")).findFirst().orElseThrow();
        String[] f = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
        return new long[]{Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[8]), Long.parseLong(f[9])};
    }

    /** "open" when a TCP connection from the namespace at {@code from} to {@code ip}:7777 succeeds, else "closed". */
    private static String connect(Path from, String ip) throws Exception {
        return sh("nsenter", "--net=" + from, "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/7777 && echo open || echo closed").strip()
                .lines().reduce((x, y) -> y).orElse("");
    }

    private List<Path> entries(String prefix) throws IOException {
        Path dir = execRoot.resolve("prewired");
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private void await(IoCondition condition, String what) throws Exception {
        for (int i = 0; i < 600 && !condition.test(); i++) Thread.sleep(50);
        assertThat(condition.test()).as(what).isTrue();
    }

    @FunctionalInterface
    private interface IoCondition {
        boolean test() throws Exception;
    }

    private static String hostVeths() throws Exception {
        return sh("ip", "-o", "link", "show", "master", BRIDGE);
    }

    private Container container(String name, List<NetworkSpec.PortBinding> ports) {
        return container(name, ports, b -> b);
    }

    private Container container(String name, List<NetworkSpec.PortBinding> ports, java.util.function.UnaryOperator<ContainerSpec.Builder> more) {
        String id = (name + "0123456789abcdef".repeat(4)).substring(0, 64);
        NetworkSpec spec = new NetworkSpec("", "t73", List.of(new NetworkSpec.Attachment("t73", "", List.of(), "", "", "")),
                ports, List.of(), false, List.of(), List.of(), List.of(), List.of());
        Container c = new Container(more.apply(ContainerSpec.builder(id).name(name).network(spec)).build(), name, ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, id));
        started.add(c);
        return c;
    }

    private void up(Container c) throws IOException {
        StepRun run = new StepRun(c);
        steps.step().setUp(run);
        run.awaitBeforeStart();
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
