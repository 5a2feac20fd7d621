package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, legacy links through the unmodified docker CLI and the berth CLI: --link on the default bridge gives
 * Docker's /etc/hosts line and variables, the linked container must exist and run, inspect shows Docker's form,
 * the link survives a berthd kill -9 and a restart, and `rm --link` removes the link, not the container.
 */
@Tag("privileged")
class LinksTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("links");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static String docker(String... args) throws Exception {
        return daemon.docker(args).orFail().out();
    }

    @Test
    void aLinkedContainerIsInHostsAndEnvAndReachableByItsAlias() throws Exception {
        String dbId = docker("run", "-d", "--name", "db", "--expose", "5432", "-e", "PASSWORD=x", "busybox", "sleep", "300");
        String ip = docker("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", "db");
        assertThat(ip).isNotEmpty();

        Cmd.Result r = daemon.docker("run", "--rm", "--name", "client", "--link", "db:database", "busybox", "sh", "-c",
                "env; cat /etc/hosts; ping -c1 -W2 database");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains(
                "DATABASE_PORT=tcp://" + ip + ":5432",
                "DATABASE_PORT_5432_TCP=tcp://" + ip + ":5432",
                "DATABASE_PORT_5432_TCP_ADDR=" + ip,
                "DATABASE_PORT_5432_TCP_PORT=5432",
                "DATABASE_PORT_5432_TCP_PROTO=tcp",
                "DATABASE_NAME=/client/database",
                "DATABASE_ENV_PASSWORD=x",
                ip + "\tdatabase " + dbId.substring(0, 12) + " db",
                "1 packets received");
        assertThat(r.stdout()).doesNotContain("DATABASE_ENV_PATH", "DATABASE_ENV_HOME");

        // the berth CLI's --link sends the same
        Cmd.Result viaBerth = daemon.cli("run", "--rm", "--link", "db", "busybox", "sh", "-c", "echo $DB_NAME; ping -c1 -W2 db");
        assertThat(viaBerth.exitCode()).as(viaBerth.stderr()).isZero();
        assertThat(viaBerth.stdout()).contains("/db", "1 packets received");

        // --network bridge: the docker CLI also copies the links into the bridge's endpoint
        Cmd.Result named = daemon.docker("run", "--rm", "--network", "bridge", "--link", "db:database", "busybox", "ping", "-c1", "-W2", "database");
        assertThat(named.exitCode()).as(named.stderr()).isZero();
    }

    @Test
    void theLinkedContainerMustExistAndRunAndUserNetworksAreRefusedByName() throws Exception {
        Cmd.Result missing = daemon.docker("run", "--rm", "--link", "nosuch:x", "busybox", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("could not get container for nosuch");

        docker("create", "--name", "stopped-db", "busybox", "true");
        Cmd.Result stopped = daemon.docker("run", "--name", "linker", "--link", "stopped-db:s", "busybox", "true");
        assertThat(stopped.exitCode()).isNotZero();
        assertThat(stopped.stderr()).contains("Cannot link to a non running container: /stopped-db AS /linker/s");

        docker("network", "create", "linknet");
        Cmd.Result userNet = daemon.docker("run", "--rm", "--network", "linknet", "--link", "stopped-db:s", "busybox", "true");
        assertThat(userNet.exitCode()).isNotZero();
        assertThat(userNet.stderr()).contains("berth does not support").contains("Links");
        docker("rm", "-f", "linker", "stopped-db");
        docker("network", "rm", "linknet");
    }

    @Test
    void aLinkSurvivesABerthdKillAndRestartsAndRmLinkRemovesOnlyTheLink() throws Exception {
        docker("run", "-d", "--name", "cache", "-e", "MODE=lru", "busybox", "sleep", "300");
        docker("run", "-d", "--name", "app", "--link", "cache:kv", "busybox", "sleep", "300");
        assertThat(docker("inspect", "-f", "{{json .HostConfig.Links}}", "app")).isEqualTo("[\"/cache:/app/kv\"]");

        daemon.killHard();
        daemon = new BerthdProcess(daemon.root).start();
        docker("restart", "-t", "0", "cache");
        String cacheIp = docker("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", "cache");
        docker("restart", "-t", "0", "app");
        // at its start the linking container gets the linked one's address as it is then
        assertThat(docker("exec", "app", "cat", "/etc/hosts")).contains(cacheIp + "\tkv ");
        assertThat(docker("exec", "app", "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ")).contains("KV_ENV_MODE=lru", "KV_NAME=/app/kv");
        assertThat(docker("exec", "app", "ping", "-c1", "-W2", "kv")).contains("1 packets received");
        // an exec gets the link variables too, as Docker's
        assertThat(docker("exec", "app", "env")).contains("KV_ENV_MODE=lru", "KV_NAME=/app/kv");

        Cmd.Result rmLink = daemon.docker("rm", "--link", "/app/kv");
        assertThat(rmLink.exitCode()).as(rmLink.stderr()).isZero();
        assertThat(docker("inspect", "-f", "{{.State.Running}}", "cache")).as("the linked container stays").isEqualTo("true");
        assertThat(docker("inspect", "-f", "{{json .HostConfig.Links}}", "app")).isEqualTo("null");
        docker("restart", "-t", "0", "app");
        assertThat(docker("exec", "app", "cat", "/etc/hosts")).doesNotContain("\tkv ");
        // the berth CLI's rm --link sends it as the docker CLI does
        docker("run", "-d", "--name", "app2", "--link", "cache:kv2", "busybox", "sleep", "300");
        daemon.cli("rm", "--link", "/app2/kv2").orFail();
        assertThat(docker("inspect", "-f", "{{json .HostConfig.Links}} {{.State.Running}}", "app2")).isEqualTo("null true");
        docker("rm", "-f", "app2");
        Cmd.Result again = daemon.docker("rm", "--link", "/app/kv");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("No such container");
        docker("rm", "-f", "app", "cache");
    }
}
