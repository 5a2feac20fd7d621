package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, the request side, through the real daemon and the unmodified docker CLI: network options are refused
 * with Docker's messages, accepted ones are echoed by inspect of a created container, and `port` of a container that
 * does not run lists nothing. Nothing here starts a container: what the network step sets up is tested with it.
 */
@Tag("privileged")
class NetworkOptionsTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("netopts");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private Cmd.Result create(String body) throws Exception {
        return daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d", body, "http://x/v1.43/containers/create");
    }

    @Test
    void refusalsInDockersWords() throws Exception {
        String before = daemon.docker("ps", "-aq").orFail().out();
        Cmd.Result alias = daemon.docker("create", "--network", "host", "--network-alias", "web", "busybox", "true");
        assertThat(alias.exitCode()).isNotZero();
        // the docker CLI refuses an alias on a predefined network itself; the daemon says it in its words for other clients
        assertThat(alias.stderr()).contains("network-scoped aliases are only supported for user-defined networks");
        assertThat(create("{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"host\"},\"NetworkingConfig\":"
                + "{\"EndpointsConfig\":{\"host\":{\"Aliases\":[\"web\"]}}}}").stdout()).endsWith("400")
                .contains("invalid config for network host: invalid endpoint settings:\\nnetwork-scoped alias is supported only "
                        + "for containers in user defined networks");
        Cmd.Result ip = daemon.docker("create", "--ip", "172.17.0.9", "busybox", "true");
        assertThat(ip.exitCode()).isNotZero();
        assertThat(ip.stderr()).contains("invalid config for network default: invalid endpoint settings:")
                .contains("user specified IP address is supported on user defined networks only");
        Cmd.Result missing = daemon.docker("create", "--network", "nope", "busybox", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("network nope not found");
        Cmd.Result joined = daemon.docker("create", "--network", "container:gone", "busybox", "true");
        assertThat(joined.stderr()).contains("No such container: gone");
        Cmd.Result hostname = daemon.docker("create", "--network", "container:gone", "-h", "x", "busybox", "true");
        assertThat(hostname.stderr()).contains("conflicting options: hostname and the network mode");
        Cmd.Result range = daemon.docker("create", "-p", "8000-8010:80", "busybox", "true");
        assertThat(range.stderr()).contains("berth does not support a host port range for one container port");
        Cmd.Result berthIp = daemon.cli("create", "--ip", "172.17.0.9", "busybox", "true");
        assertThat(berthIp.exitCode()).isEqualTo(125);
        assertThat(berthIp.stderr()).contains("user specified IP address is supported on user defined networks only");
        Cmd.Result badSpec = daemon.cli("create", "-p", "8000:80-81", "busybox", "true");
        assertThat(badSpec.exitCode()).isNotZero();
        assertThat(badSpec.stderr()).contains("invalid ranges specified for container and host Ports: 80-81 and 8000");
        assertThat(create("{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80a\"}]}}}").stdout())
                .endsWith("400").contains("invalid port specification: \\\"80a\\\"");
        assertThat(create("{\"Image\":\"busybox\",\"HostConfig\":{\"Links\":[\"db:db\"]}}").stdout())
                .endsWith("400").contains("could not get container for db: No such container: db");
        assertThat(daemon.docker("ps", "-aq").orFail().out()).as("nothing was created").isEqualTo(before);
    }

    @Test
    void hostModeDropsPublishedPortsWithDockersWarning() throws Exception {
        Cmd.Result r = daemon.docker("create", "--network", "host", "-p", "8080:80", "busybox", "true");
        try {
            assertThat(r.exitCode()).isZero();
            assertThat(r.stderr()).contains("Published ports are discarded when using host network mode");
            assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Ports}} {{len .NetworkSettings.Networks}}",
                    r.out()).orFail().out()).isEqualTo("host {} 1");
        } finally {
            daemon.docker("rm", "-f", r.out());
        }
    }

    @Test
    void inspectEchoesACreatedContainersOptionsAndPortListsNothingUntilItRuns() throws Exception {
        String id = daemon.docker("create", "--name", "echo", "-p", "127.0.0.1:8080:80", "-p", "53/udp", "--expose", "9000", "-P",
                "--dns", "1.1.1.1", "--dns-search", "example.org", "--dns-option", "ndots:2", "--add-host", "db:10.0.0.2",
                "-h", "web", "busybox", "true").orFail().out();
        try {
            String f = "{{.HostConfig.NetworkMode}}|{{json .HostConfig.PortBindings}}|{{.HostConfig.PublishAllPorts}}|"
                    + "{{json .HostConfig.Dns}}|{{json .HostConfig.DnsSearch}}|{{json .HostConfig.DnsOptions}}|"
                    + "{{json .HostConfig.ExtraHosts}}|{{json .Config.ExposedPorts}}|{{.Config.Hostname}}|{{json .NetworkSettings.Ports}}";
            assertThat(daemon.docker("inspect", "-f", f, id).orFail().out()).isEqualTo("bridge|"
                    + "{\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}],\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}|true|"
                    + "[\"1.1.1.1\"]|[\"example.org\"]|[\"ndots:2\"]|[\"db:10.0.0.2\"]|"
                    + "{\"53/udp\":{},\"80/tcp\":{},\"9000/tcp\":{}}|web|{}");
            assertThat(daemon.docker("inspect", "-f",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{len $v.NetworkID}} [{{$v.IPAddress}}]{{end}}", id).orFail().out())
                    .isEqualTo("bridge 64 []");
            Cmd.Result all = daemon.docker("port", id);
            assertThat(all.exitCode()).isZero();
            assertThat(all.out()).isEmpty();
            Cmd.Result one = daemon.docker("port", "echo", "80");
            assertThat(one.exitCode()).isNotZero();
            assertThat(one.stderr()).contains("No public port '80' published for echo");
            Cmd.Result berth = daemon.cli("port", "echo", "80");
            assertThat(berth.exitCode()).isNotZero();
            assertThat(berth.stderr()).contains("No public port '80' published for echo");
            assertThat(daemon.docker("ps", "-aq", "--filter", "publish=80", "--filter", "expose=9000").orFail().out())
                    .isEqualTo(id.substring(0, 12));
            assertThat(daemon.docker("ps", "-aq", "--filter", "publish=81").orFail().out()).isEmpty();
            assertThat(daemon.docker("ps", "-aq", "--filter", "network=bridge").orFail().out()).contains(id.substring(0, 12));
            assertThat(daemon.docker("ps", "-a", "--filter", "name=echo", "--format", "{{.Networks}}").orFail().out()).isEqualTo("bridge");
        } finally {
            daemon.docker("rm", "-f", id);
        }
    }
}
