package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Network definitions (/networks) driven by the unmodified docker CLI and by the berth CLI: the predefined
 * networks, create with Docker's flags and refusals, ls/inspect the same through both CLIs, rm and prune, the
 * definitions private on disk and whole after a kill -9.
 */
@Tag("privileged")
class NetworksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        StaleTestState.clearOnce();
        daemon = new BerthdProcess(Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-networks-")).start();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void predefinedNetworksAsDockerListsThem() throws Exception {
        String ls = daemon.docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").orFail().out();
        assertThat(ls).contains("bridge bridge local", "host host local", "none null local");
        JsonNode bridge = JSON.readTree(daemon.docker("network", "inspect", "bridge").orFail().stdout()).get(0);
        assertThat(bridge.get("Id").asText()).matches("[0-9a-f]{64}");
        // berth0, or the next free berthN when other berthds on this host (tests run in parallel) hold it: bridges are host-wide
        String bridgeName = bridge.get("Options").get("com.docker.network.bridge.name").asText();
        assertThat(bridgeName).matches("berth\\d+");
        String subnet = bridge.get("IPAM").get("Config").get(0).get("Subnet").asText();
        assertThat(subnet).matches("(172\\.(1[7-9]|2\\d|3[01])\\.0\\.0/16)|(192\\.168\\.\\d+\\.0/20)");
        // never a subnet the host already routed (docker0, podman's bridges, the LAN): the one route to it is the
        // default bridge's own, up while berthd runs as docker0 is while dockerd runs, with no container on it (made
        // just after berthd's socket first answers: waited for here)
        String hex = "\t" + hexLittleEndian(subnet.substring(0, subnet.indexOf('/'))) + "\t";
        List<String> routes = List.of();
        for (int i = 0; i < 100 && routes.isEmpty(); i++) {
            if (i > 0) Thread.sleep(100);
            routes = Files.readAllLines(Path.of("/proc/net/route")).stream().filter(l -> l.contains(hex)).toList();
        }
        assertThat(routes).hasSize(1).allMatch(l -> l.startsWith(bridgeName + "\t"));
        Cmd.Result rm = daemon.docker("network", "rm", "bridge");
        assertThat(rm.exitCode()).isNotZero();
        assertThat(rm.stderr()).contains("bridge is a pre-defined network and cannot be removed");
    }

    @Test
    void dockerCliCreatesListsInspectsAndRemovesNetworksAsBerthCliSeesThem() throws Exception {
        String id = daemon.docker("network", "create", "--subnet", "10.213.0.0/16", "--ip-range", "10.213.4.0/24",
                "--gateway", "10.213.0.254", "--label", "team=web", "--internal", "--attachable",
                "-o", "com.docker.network.driver.mtu=1400", "web").orFail().out();
        assertThat(id).matches("[0-9a-f]{64}");
        String id2 = daemon.cli("network", "create", "--ipv6", "db").orFail().out();
        assertThat(id2).matches("[0-9a-f]{64}");

        String dockerLs = daemon.docker("network", "ls").orFail().stdout();
        assertThat(dockerLs).startsWith("NETWORK ID     NAME      DRIVER    SCOPE\n").contains(id.substring(0, 12) + "   web       bridge    local\n");
        assertThat(daemon.cli("network", "ls").orFail().stdout()).isEqualTo(dockerLs);
        for (String[] args : List.of(new String[] {"network", "ls", "-q", "--no-trunc", "--filter", "label=team=web"},
                new String[] {"network", "ls", "--filter", "type=custom", "--format", "{{.Name}} {{.Internal}} {{.IPv6}} {{.Labels}}"},
                new String[] {"network", "ls", "--filter", "driver=null", "-q"},
                new String[] {"network", "ls", "--filter", "dangling=true", "--format", "table {{.Name}}\t{{.CreatedAt}}"},
                new String[] {"network", "inspect", "web", "db", "bridge", "host"},
                new String[] {"network", "inspect", "-f", "{{.Name}} {{.Internal}} {{.EnableIPv6}}", id.substring(0, 10)})) {
            assertThat(daemon.cli(args).orFail().stdout()).as(String.join(" ", args)).isEqualTo(daemon.docker(args).orFail().stdout());
        }
        assertThat(daemon.docker("network", "ls", "-q", "--no-trunc", "--filter", "label=team=web").orFail().out()).isEqualTo(id);

        JsonNode web = JSON.readTree(daemon.docker("network", "inspect", "web").orFail().stdout()).get(0);
        List<String> fields = new ArrayList<>();
        web.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal",
                "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels");
        assertThat(web.get("IPAM").toString()).isEqualTo(
                "{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"10.213.0.0/16\",\"IPRange\":\"10.213.4.0/24\",\"Gateway\":\"10.213.0.254\"}]}");
        assertThat(web.get("Options").toString()).isEqualTo("{\"com.docker.network.driver.mtu\":\"1400\"}");
        JsonNode db = JSON.readTree(daemon.docker("network", "inspect", "db").orFail().stdout()).get(0);
        assertThat(db.get("IPAM").get("Config")).hasSize(2);
        assertThat(db.get("IPAM").get("Config").get(1).get("Subnet").asText()).endsWith("::/64");

        // on disk: one private document per network
        Path file = daemon.dataRoot.resolve("networks").resolve(id + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        assertThat(daemon.docker("network", "rm", "web", "db").orFail().out()).isEqualTo("web\ndb");
        assertThat(daemon.cli("network", "ls", "-q", "-f", "type=custom").orFail().out()).isEmpty();
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void refusalsAndErrorsAsDockerWordsThem() throws Exception {
        daemon.docker("network", "create", "dup").orFail();
        for (String[] args : List.of(new String[] {"network", "create", "dup"},
                new String[] {"network", "create", "--driver", "overlay", "ov1"},
                new String[] {"network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "icc1"},
                new String[] {"network", "create", "--subnet", "10.214.0.0/16", "--gateway", "10.215.0.1", "gw1"},
                new String[] {"network", "create", "bad name"},
                new String[] {"network", "inspect", "nosuchnet"},
                new String[] {"network", "rm", "nosuchnet", "host"})) {
            Cmd.Result d = daemon.docker(args);
            Cmd.Result b = daemon.cli(args);
            assertThat(d.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(b.exitCode()).as(String.join(" ", args)).isEqualTo(d.exitCode());
            assertThat(b.stderr()).as(String.join(" ", args)).isEqualTo(d.stderr());
        }
        assertThat(daemon.docker("network", "create", "dup").stderr()).contains("network with name dup already exists");
        assertThat(daemon.docker("network", "create", "--driver", "overlay", "ov1").stderr()).contains("berth supports only the bridge driver");
        assertThat(daemon.docker("network", "create", "-o", "foo=bar", "opt1").stderr()).contains("berth does not support network option \"foo\"");
        assertThat(daemon.docker("network", "inspect", "nosuchnet").stderr()).contains("network nosuchnet not found");
        // connecting a container that does not exist: Docker's 404
        Cmd.Result connect = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Container\":\"x\"}",
                "http://berthd/networks/dup/connect");
        assertThat(connect.stdout()).contains("No such container: x").endsWith("404");
        daemon.docker("network", "rm", "dup").orFail();
    }

    @Test
    void pruneRemovesUnusedUserNetworksOnly() throws Exception {
        daemon.docker("network", "create", "--label", "keep=1", "p-keep").orFail();
        daemon.docker("network", "create", "p-old").orFail();
        assertThat(daemon.docker("network", "prune", "-f", "--filter", "label!=keep").orFail().stdout())
                .isEqualTo("Deleted Networks:\np-old\n\n");
        assertThat(daemon.cli("network", "prune", "-f").orFail().stdout()).isEqualTo("Deleted Networks:\np-keep\n\n");
        assertThat(daemon.docker("network", "prune", "-f").orFail().stdout()).isEmpty();
        assertThat(daemon.docker("network", "ls", "-q").orFail().out().split("\n")).hasSize(3);
    }

    @Test
    void afterAKillNineNetworksAreWholeAndKeepTheirIdsAndSubnets() throws Exception {
        BerthdProcess first = new BerthdProcess(Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-netkill-")).start();
        BerthdProcess second = null;
        try {
            first.docker("network", "create", "--label", "k=v", "kept").orFail();
            String before = first.docker("network", "inspect", "bridge", "kept").orFail().stdout();
            first.killHard();
            // what a kill inside AtomicFile's write of a new network leaves: a temp file, never a network
            Path networks = first.dataRoot.resolve("networks");
            Path stray = networks.resolve(".tmp-" + "ab".repeat(32) + ".json-1234");
            Files.writeString(stray, "{\"name\":\"ghost\"");

            second = new BerthdProcess(first.root).start();
            assertThat(second.docker("network", "inspect", "bridge", "kept").orFail().stdout()).isEqualTo(before);
            assertThat(second.docker("network", "ls", "--format", "{{.Name}}").orFail().out()).isEqualTo("bridge\nhost\nkept\nnone");
            assertThat(Files.exists(stray)).isFalse();
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }

    /** /proc/net/route's spelling of an IPv4 address: 8 hex digits, least significant byte first. */
    private static String hexLittleEndian(String ipv4) {
        String[] p = ipv4.split("\\.");
        return String.format("%02X%02X%02X%02X", Integer.parseInt(p[3]), Integer.parseInt(p[2]), Integer.parseInt(p[1]),
                Integer.parseInt(p[0]));
    }
}
