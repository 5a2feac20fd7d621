package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, what running containers see of their networks, through the unmodified docker CLI (and the berth CLI
 * where they are compared): names and aliases on user networks but not on the default bridge, connect and
 * disconnect at runtime, the none/host/container modes, isolation between networks and of --internal ones, both
 * CLIs' network ls/inspect with containers attached, stats' per-interface counters, IPv6, and the DNS and hosts
 * options as files in the container. Every test uses networks and containers of its own names.
 */
@Tag("privileged")
class ContainerNetworkingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("ctrnet");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static String docker(String... args) throws Exception {
        return daemon.docker(args).orFail().out();
    }

    /** A long-running busybox container; its full id. */
    private static String sleeper(String name, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "sleep", "600"));
        return docker(args.toArray(String[]::new));
    }

    /** Whether {@code container} gets an answer to one ping of {@code target} (name or address). */
    private static boolean pings(String container, String target) throws Exception {
        return daemon.docker("exec", container, "ping", "-c", "1", "-W", "2", target).exitCode() == 0;
    }

    /** The host's first address other than loopback, as `hostname -I` lists them. */
    static String hostAddress() throws Exception {
        return Cmd.run(List.of("hostname", "-I"), Map.of(), null, java.time.Duration.ofSeconds(10)).orFail().out().split("\\s+")[0];
    }

    @Test
    void aUserNetworkResolvesNamesAliasesAndShortIdsButTheDefaultBridgeDoesNot() throws Exception {
        docker("network", "create", "res-net");
        String db = sleeper("res-db", "--network", "res-net", "--network-alias", "res-database");
        sleeper("res-web", "--network", "res-net");
        try {
            assertThat(pings("res-web", "res-db")).as("by name").isTrue();
            assertThat(pings("res-web", "res-database")).as("by --network-alias").isTrue();
            assertThat(pings("res-web", db.substring(0, 12))).as("by short id").isTrue();

            sleeper("res-b1");
            sleeper("res-b2");
            Cmd.Result byName = daemon.docker("exec", "res-b2", "ping", "-c", "1", "-W", "2", "res-b1");
            assertThat(byName.exitCode()).isNotZero();
            assertThat(byName.stderr()).contains("bad address 'res-b1'");
            String b1 = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "res-b1");
            assertThat(pings("res-b2", b1)).as("by address on the default bridge").isTrue();
        } finally {
            daemon.docker("rm", "-f", "res-db", "res-web", "res-b1", "res-b2");
            daemon.docker("network", "rm", "res-net");
        }
    }

    @Test
    void aRunningContainerIsConnectedWithAnAliasAndDisconnected() throws Exception {
        docker("network", "create", "cd-net");
        sleeper("cd-srv", "--network", "cd-net");
        String cli = sleeper("cd-cli");
        try {
            docker("network", "connect", "--alias", "cd-alias", "cd-net", "cd-cli");
            assertThat(pings("cd-srv", "cd-alias")).isTrue();
            assertThat(pings("cd-srv", "cd-cli")).isTrue();
            // it started on the default bridge (no name resolution): the connect gives it the network's resolver
            assertThat(pings("cd-cli", "cd-srv")).as("the connected container resolves the network's names").isTrue();
            JsonNode endpoint = JSON.readTree(docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", "cd-cli")).get("cd-net");
            assertThat(endpoint.get("Aliases").toString()).isEqualTo("[\"cd-alias\"]");
            String ip = endpoint.get("IPAddress").asText();
            assertThat(ip).isNotEmpty();
            JsonNode containers = JSON.readTree(docker("network", "inspect", "-f", "{{json .Containers}}", "cd-net"));
            assertThat(containers.get(cli).get("Name").asText()).isEqualTo("cd-cli");
            // a /16 from Docker's pools, or a /20 of 192.168.0.0/16 when other daemons on the host hold those
            String prefix = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "cd-net").replaceAll(".*/", "/");
            assertThat(containers.get(cli).get("IPv4Address").asText()).isEqualTo(ip + prefix);
            assertThat(daemon.docker("exec", "cd-cli", "ip", "-o", "-4", "addr", "show", "eth1").orFail().out()).contains(ip + prefix);
            String ownLine = ip + "\t" + cli.substring(0, 12);
            assertThat(docker("exec", "cd-cli", "cat", "/etc/hosts")).as("/etc/hosts gains the new address").endsWith(ownLine);

            docker("network", "disconnect", "cd-net", "cd-cli");
            assertThat(pings("cd-srv", "cd-alias")).isFalse();
            assertThat(pings("cd-srv", ip)).isFalse();
            assertThat(docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", "cd-cli")).isEqualTo("bridge");
            assertThat(JSON.readTree(docker("network", "inspect", "-f", "{{json .Containers}}", "cd-net")).has(cli)).isFalse();
            assertThat(daemon.docker("exec", "cd-cli", "ip", "link", "show", "eth1").exitCode()).isNotZero();
            assertThat(docker("exec", "cd-cli", "cat", "/etc/hosts")).doesNotContain(ownLine);
        } finally {
            daemon.docker("rm", "-f", "cd-srv", "cd-cli");
            daemon.docker("network", "rm", "cd-net");
        }
    }

    @Test
    void noneHostAndContainerModes() throws Exception {
        assertThat(docker("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net")).isEqualTo("lo");
        String hostMac = Files.readString(Path.of("/sys/class/net/eth0/address")).strip();
        assertThat(docker("run", "--rm", "--network", "host", "busybox", "cat", "/sys/class/net/eth0/address")).isEqualTo(hostMac);
        List<String> hostLinks = Arrays.stream(Path.of("/sys/class/net").toFile().list()).filter(n -> !n.startsWith("veth")).toList();
        List<String> seen = List.of(docker("run", "--rm", "--network", "host", "busybox", "ls", "-1", "/sys/class/net").split("\n"));
        assertThat(seen).containsAll(hostLinks.stream().filter(n -> n.equals("eth0") || n.equals("lo")).toList()).contains("lo", "eth0");

        sleeper("mode-owner");
        docker("create", "--name", "mode-stopped", "busybox", "true");
        try {
            String mac = docker("exec", "mode-owner", "cat", "/sys/class/net/eth0/address");
            assertThat(docker("run", "--rm", "--network", "container:mode-owner", "busybox", "cat", "/sys/class/net/eth0/address"))
                    .isEqualTo(mac);
            Cmd.Result joined = daemon.docker("run", "--rm", "--network", "container:mode-stopped", "busybox", "true");
            assertThat(joined.exitCode()).isEqualTo(125);
            assertThat(joined.stderr()).contains("cannot join network namespace of a non running container: container mode-stopped is created");
        } finally {
            daemon.docker("rm", "-f", "mode-owner", "mode-stopped");
        }
    }

    @Test
    void networksAreIsolatedAndAnInternalOneHasNoWayOut() throws Exception {
        docker("network", "create", "iso-a");
        docker("network", "create", "iso-b");
        docker("network", "create", "--internal", "iso-int");
        String host = hostAddress();
        try {
            sleeper("iso-a1", "--network", "iso-a");
            docker("run", "-d", "--name", "iso-b1", "--network", "iso-b", "busybox", "sh", "-c",
                    "mkdir /www && echo b > /www/index.html && exec httpd -f -p 80 -h /www");
            String b1 = docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"iso-b\").IPAddress}}", "iso-b1");
            assertThat(b1).isNotEmpty();
            // a third network's last container going away tears that network down: netavark 1.4 then drops
            // FORWARD's jump to its isolation chain, which berth must put back for the networks that remain
            docker("network", "create", "iso-c");
            docker("run", "--rm", "--network", "iso-c", "busybox", "true");
            assertThat(pings("iso-a1", b1)).as("ping across networks").isFalse();
            // (this busybox's wget crashes with -T: timeout bounds it instead; the same wget on b's network is the control)
            sleeper("iso-b2", "--network", "iso-b");
            assertThat(docker("exec", "iso-b2", "timeout", "5", "wget", "-q", "-O-", "http://" + b1 + "/")).isEqualTo("b");
            assertThat(daemon.docker("exec", "iso-a1", "timeout", "5", "wget", "-q", "-O-", "http://" + b1 + "/").exitCode())
                    .as("wget across networks").isNotZero();
            assertThat(pings("iso-a1", host)).as("a user network reaches the host").isTrue();

            sleeper("iso-in1", "--network", "iso-int");
            sleeper("iso-in2", "--network", "iso-int");
            assertThat(pings("iso-in1", "iso-in2")).as("an internal network's containers reach each other").isTrue();
            assertThat(pings("iso-in1", host)).as("the host's address from an internal network").isFalse();
            assertThat(pings("iso-in1", "192.0.2.254")).as("outside from an internal network").isFalse();
            assertThat(docker("exec", "iso-in1", "ip", "route")).doesNotContain("default");
        } finally {
            daemon.docker("rm", "-f", "iso-a1", "iso-b1", "iso-b2", "iso-in1", "iso-in2");
            daemon.docker("network", "rm", "iso-a", "iso-b", "iso-c", "iso-int");
        }
    }

    @Test
    void bothClisListAndInspectNetworksWithContainersTheSame() throws Exception {
        docker("network", "create", "--label", "k=v", "cli-net");
        sleeper("cli-c1", "--network", "cli-net", "--network-alias", "one");
        sleeper("cli-c2", "--network", "cli-net");
        try {
            for (String[] args : List.of(new String[] {"network", "ls"}, new String[] {"network", "ls", "--no-trunc"},
                    new String[] {"network", "inspect", "cli-net"}, new String[] {"network", "inspect", "bridge", "cli-net"},
                    new String[] {"network", "inspect", "-f", "{{json .Containers}}", "cli-net"})) {
                assertThat(daemon.cli(args).orFail().stdout()).as(String.join(" ", args)).isEqualTo(daemon.docker(args).orFail().stdout());
            }
            JsonNode containers = JSON.readTree(docker("network", "inspect", "cli-net")).get(0).get("Containers");
            assertThat(containers.size()).isEqualTo(2);
            containers.forEach(c -> assertThat(c.get("Name").asText()).isIn("cli-c1", "cli-c2"));
        } finally {
            daemon.docker("rm", "-f", "cli-c1", "cli-c2");
            daemon.docker("network", "rm", "cli-net");
        }
    }

    @Test
    void statsCountEachInterfacesTrafficAsDockerDoes() throws Exception {
        docker("network", "create", "st-net");
        String id = sleeper("st-a", "--network", "st-net");
        sleeper("st-b", "--network", "st-net");
        try {
            docker("exec", "st-a", "ping", "-c", "3", "-s", "1000", "st-b");
            Cmd.Result r = daemon.curl("http://berthd/v1.43/containers/" + id + "/stats?stream=false&one-shot=true");
            String body = r.stdout().substring(0, r.stdout().lastIndexOf('\n'));
            JsonNode eth0 = JSON.readTree(body).get("networks").get("eth0");
            List<String> fields = new java.util.ArrayList<>();
            eth0.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "tx_bytes", "tx_packets",
                    "tx_errors", "tx_dropped");
            assertThat(eth0.get("rx_bytes").asLong()).isGreaterThan(3000);
            assertThat(eth0.get("tx_packets").asLong()).isGreaterThanOrEqualTo(3);
            String netIo = docker("stats", "--no-stream", "--format", "{{.NetIO}}", "st-a");
            assertThat(netIo).doesNotStartWith("0B").contains("kB / ");
            // the host's namespace is not the container's to count: no "networks", as Docker
            String hostId = docker("run", "-d", "--network", "host", "busybox", "sleep", "60");
            Cmd.Result h = daemon.curl("http://berthd/v1.43/containers/" + hostId + "/stats?stream=false&one-shot=true");
            assertThat(JSON.readTree(h.stdout().substring(0, h.stdout().lastIndexOf('\n'))).has("networks")).isFalse();
            daemon.docker("rm", "-f", hostId);
        } finally {
            daemon.docker("rm", "-f", "st-a", "st-b");
            daemon.docker("network", "rm", "st-net");
        }
    }

    @Test
    void aContainerGivenAnEndedOnesInterfaceCountsFromZeroInAFreshNamespace() throws Exception {
        // one container after the other, as `run --rm` in a loop: once the loop is steady (a namespace was ready for the
        // last one, none at its end), the next container gets the ended one's interface, its address with it
        String ipBefore = "";
        String gateway = "";
        List<String> names = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String name = "rc-" + i;
                names.add(name);
                String id = sleeper(name);
                String ip = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id);
                if (ip.equals(ipBefore)) {
                    Cmd.Result r = daemon.curl("http://berthd/v1.43/containers/" + id + "/stats?stream=false&one-shot=true");
                    JsonNode eth0 = JSON.readTree(r.stdout().substring(0, r.stdout().lastIndexOf('\n'))).get("networks").get("eth0");
                    assertThat(eth0.get("rx_bytes").asLong()).as("the ended one's 5 kB not counted for this one").isLessThan(2000);
                    assertThat(eth0.get("tx_packets").asLong()).isLessThan(5);
                    assertThat(docker("exec", name, "netstat", "-ltn")).as("the ended one's listener is not here").doesNotContain(":7777");
                    assertThat(docker("exec", name, "ping", "-c", "1", "-W", "2", gateway)).contains("1 packets received");
                    return;
                }
                gateway = docker("inspect", "-f", "{{.NetworkSettings.Gateway}}", id);
                docker("exec", name, "ping", "-c", "5", "-s", "1000", gateway);
                // a process that would keep listening after the container's end stays in its namespace, not the next one's
                docker("exec", "-d", name, "nc", "-l", "-p", "7777");
                docker("rm", "-f", name);
                Thread.sleep(1500); // the interface moved in the background
                ipBefore = ip;
            }
            org.assertj.core.api.Assertions.fail("no container got the ended one's interface in 4 runs");
        } finally {
            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
            rm.addAll(names);
            daemon.docker(rm.toArray(String[]::new));
        }
    }

    /**
     * `docker exec --privileged` runs with NET_ADMIN: what it changes on the interface (here its MTU) would pass to the
     * next container with a recycled interface, so a container that had one gets its interface torn down instead.
     */
    @Test
    void anInterfaceAPrivilegedExecCouldChangeIsNotHandedOn() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try {
            String previousMac = "";
            String current = null;
            for (int i = 0; i < 5 && current == null; i++) {
                String name = "pe-" + i;
                names.add(name);
                String id = sleeper(name);
                String mac = docker("inspect", "-f", "{{.NetworkSettings.MacAddress}}", id);
                if (mac.equals(previousMac)) {
                    current = name; // the loop is steady: this one got the ended one's interface
                } else {
                    docker("rm", "-f", name);
                    Thread.sleep(1500); // the interface moved in the background
                    previousMac = mac;
                }
            }
            assertThat(current).as("a container got an ended one's interface in 5 runs").isNotNull();
            docker("exec", "--privileged", current, "ip", "link", "set", "eth0", "mtu", "1400");
            docker("rm", "-f", current);
            Thread.sleep(1500);
            String next = "pe-next";
            names.add(next);
            String id = sleeper(next);
            assertThat(docker("exec", next, "cat", "/sys/class/net/eth0/mtu")).isEqualTo("1500");
            assertThat(docker("inspect", "-f", "{{.NetworkSettings.MacAddress}}", id)).isNotEqualTo(previousMac);
        } finally {
            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
            rm.addAll(names);
            daemon.docker(rm.toArray(String[]::new));
        }
    }

    @Test
    void anIpv6NetworkGivesGlobalAddressesThatResolveByName() throws Exception {
        // the host's eth0 has fd00::2/64: a subnet of another ULA prefix
        docker("network", "create", "--ipv6", "--subnet", "fd00:dead:beef::/64", "v6-net");
        sleeper("v6-a", "--network", "v6-net");
        sleeper("v6-b", "--network", "v6-net");
        try {
            String a = docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}/{{.GlobalIPv6PrefixLen}}{{end}}", "v6-a");
            assertThat(a).startsWith("fd00:dead:beef::").endsWith("/64");
            assertThat(docker("exec", "v6-a", "ip", "-6", "addr", "show", "eth0")).contains(a + " scope global");
            Cmd.Result ping = daemon.docker("exec", "v6-b", "ping6", "-c", "1", "-W", "2", "v6-a");
            assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
            assertThat(ping.stdout()).contains("from " + a.substring(0, a.indexOf('/')));
        } finally {
            daemon.docker("rm", "-f", "v6-a", "v6-b");
            daemon.docker("network", "rm", "v6-net");
        }
    }

    @Test
    void dnsHostsAndHostnameOptionsAreWrittenAsDockerWritesThem() throws Exception {
        String bridgeGateway = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "bridge");
        String out = docker("run", "--rm", "--dns", "192.0.2.53", "--dns-search", "example.org", "--dns-option", "ndots:3",
                "--add-host", "db.local:10.0.0.7", "--add-host", "gw:host-gateway", "--hostname", "myhost", "busybox", "sh", "-c",
                "cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---; hostname; ip -o -4 addr show eth0");
        String[] parts = out.split("---\n");
        assertThat(parts[0]).isEqualTo("search example.org\nnameserver 192.0.2.53\noptions ndots:3\n");
        String ip = parts[2].replaceAll("(?s).*inet (\\S+)/.*", "$1");
        assertThat(parts[1]).isEqualTo("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n10.0.0.7\tdb.local\n"
                + bridgeGateway + "\tgw\n" + ip + "\tmyhost\n");
        assertThat(parts[2]).startsWith("myhost\n");

        // with --network none the files are still the container's: --add-host and --dns* land in them (before, both were dropped)
        String none = docker("run", "--rm", "--network", "none", "--dns", "192.0.2.53", "--dns-option", "ndots:2",
                "--add-host", "db.local:10.0.0.7", "--add-host", "gw:host-gateway", "busybox", "sh", "-c",
                "cat /etc/resolv.conf; echo ---; tail -n 2 /etc/hosts");
        assertThat(none).contains("nameserver 192.0.2.53\noptions ndots:2\n---\n10.0.0.7\tdb.local\n" + bridgeGateway + "\tgw")
                .doesNotContain("nameserver 8.8.8.8");

        // on a user network the network's resolver is the name server, --dns its upstream; host-gateway is still the
        // host's address on the default bridge, as Docker's
        docker("network", "create", "dns-net");
        try {
            String user = docker("run", "--rm", "--network", "dns-net", "--dns", "192.0.2.53", "--dns-search", "example.org",
                    "--add-host", "gw:host-gateway", "busybox", "sh", "-c", "cat /etc/resolv.conf; grep gw /etc/hosts");
            String gateway = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "dns-net");
            assertThat(user).isEqualTo("search example.org\nnameserver " + gateway + "\noptions ndots:0\n" + bridgeGateway + "\tgw");
        } finally {
            daemon.docker("network", "rm", "dns-net");
        }

        // --mac-address: the docker CLI 28 sends it only per network, which needs API 1.44; the berth CLI sends it
        assertThat(daemon.cli("run", "--rm", "--mac-address", "02:42:ac:11:00:99", "busybox", "cat", "/sys/class/net/eth0/address")
                .orFail().out()).isEqualTo("02:42:ac:11:00:99");
        Cmd.Result created = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"60\"],\"MacAddress\":\"02:42:ac:11:00:98\"}",
                "http://berthd/v1.43/containers/create?name=mac-api");
        assertThat(created.stdout()).endsWith("201");
        try {
            docker("start", "mac-api");
            assertThat(docker("exec", "mac-api", "cat", "/sys/class/net/eth0/address")).isEqualTo("02:42:ac:11:00:98");
            assertThat(docker("inspect", "-f", "{{.NetworkSettings.MacAddress}}", "mac-api")).isEqualTo("02:42:ac:11:00:98");
        } finally {
            daemon.docker("rm", "-f", "mac-api");
        }
    }
}
