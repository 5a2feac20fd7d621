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
    void theLinkedContainerMustExistAndRunOnTheDefaultBridgeButNotOnAUserNetwork() throws Exception {
        Cmd.Result missing = daemon.docker("run", "--rm", "--link", "nosuch:x", "busybox", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("could not get container for nosuch");

        docker("create", "--name", "stopped-db", "busybox", "true");
        Cmd.Result stopped = daemon.docker("run", "--name", "linker", "--link", "stopped-db:s", "busybox", "true");
        assertThat(stopped.exitCode()).isNotZero();
        assertThat(stopped.stderr()).contains("Cannot link to a non running container: /stopped-db AS /linker/s");

        // on a user-defined network a link is a name, not a legacy link: its target may be stopped or not exist yet
        docker("network", "create", "linknet");
        Cmd.Result userNet = daemon.docker("run", "--rm", "--network", "linknet", "--link", "stopped-db:s", "--link", "nosuch:n",
                "busybox", "true");
        assertThat(userNet.exitCode()).as(userNet.stderr()).isZero();
        // links on the default bridge are legacy links, made at create: network connect has nothing to resolve them with
        docker("create", "--name", "off-bridge", "--network", "linknet", "busybox", "true");
        Cmd.Result onBridge = daemon.docker("network", "connect", "--link", "stopped-db:s", "bridge", "off-bridge");
        assertThat(onBridge.exitCode()).isNotZero();
        assertThat(onBridge.stderr()).contains("links are only supported for user-defined networks");
        docker("rm", "-f", "linker", "stopped-db", "off-bridge");
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

    @Test
    void onAUserNetworkALinkIsANameOnlyTheLinkingContainerResolvesAndItFollowsTheTarget() throws Exception {
        docker("network", "create", "ulinknet");
        docker("run", "-d", "--name", "udb", "--network", "ulinknet", "--expose", "5432", "-e", "PASSWORD=x", "busybox", "sleep", "300");
        String ip = docker("inspect", "-f", "{{.NetworkSettings.Networks.ulinknet.IPAddress}}", "udb");
        assertThat(ip).isNotEmpty();

        // the alias resolves for the linking container, and no link variables are set (Docker's user-network link)
        Cmd.Result r = daemon.docker("run", "--rm", "--network", "ulinknet", "--link", "udb:database", "busybox", "sh", "-c",
                "env; cat /etc/hosts; ping -c1 -W2 database");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains(ip + "\tdatabase udb", "1 packets received");
        assertThat(r.stdout()).doesNotContain("DATABASE_", "PASSWORD");
        // a third container on the same network does not know the alias, only the name aardvark-dns gives everyone
        Cmd.Result third = daemon.docker("run", "--rm", "--network", "ulinknet", "busybox", "ping", "-c1", "-W2", "database");
        assertThat(third.exitCode()).as(third.stdout()).isNotZero();
        assertThat(third.stdout() + third.stderr()).contains("bad address 'database'");
        assertThat(docker("run", "--rm", "--network", "ulinknet", "busybox", "ping", "-c1", "-W2", "udb")).contains("1 packets received");

        // inspect as Docker's: no legacy links in HostConfig, the links as given in the network's endpoint
        docker("run", "-d", "--name", "uweb", "--network", "ulinknet", "--link", "udb:database", "--link", "later:l", "busybox", "sleep", "300");
        assertThat(docker("inspect", "-f", "{{json .HostConfig.Links}}", "uweb")).isEqualTo("null");
        assertThat(docker("inspect", "-f", "{{json .NetworkSettings.Networks.ulinknet.Links}}", "uweb")).isEqualTo("[\"udb:database\",\"later:l\"]");

        // the target stops: the name is gone; it comes back on another address: the linking container follows it
        docker("stop", "-t", "0", "udb");
        assertThat(docker("exec", "uweb", "cat", "/etc/hosts")).doesNotContain("database");
        // (berth's allocator, as Docker's, hands out the addresses after the last one: a restart moves the target)
        docker("start", "udb");
        String newIp = docker("inspect", "-f", "{{.NetworkSettings.Networks.ulinknet.IPAddress}}", "udb");
        assertThat(newIp).isNotEqualTo(ip);
        assertThat(docker("exec", "uweb", "cat", "/etc/hosts")).contains(newIp + "\tdatabase udb").doesNotContain(ip + "\tdatabase");
        assertThat(docker("exec", "uweb", "ping", "-c1", "-W2", "database")).contains("1 packets received");

        // a target that did not exist at create resolves once it runs there
        Cmd.Result early = daemon.docker("exec", "uweb", "ping", "-c1", "-W2", "l");
        assertThat(early.exitCode()).isNotZero();
        docker("run", "-d", "--name", "later", "--network", "ulinknet", "busybox", "sleep", "300");
        assertThat(docker("exec", "uweb", "ping", "-c1", "-W2", "l")).contains("1 packets received");

        // network connect --link: a link on that network only, to the target's address there, gone when it leaves
        docker("network", "create", "ulinknet2");
        docker("network", "connect", "ulinknet2", "udb");
        docker("network", "connect", "--link", "udb:db2", "ulinknet2", "uweb");
        String ip2 = docker("inspect", "-f", "{{.NetworkSettings.Networks.ulinknet2.IPAddress}}", "udb");
        assertThat(docker("exec", "uweb", "cat", "/etc/hosts")).contains(ip2 + "\tdb2 udb");
        assertThat(docker("exec", "uweb", "ping", "-c1", "-W2", "db2")).contains("1 packets received");
        assertThat(docker("inspect", "-f", "{{json .NetworkSettings.Networks.ulinknet2.Links}}", "uweb")).isEqualTo("[\"udb:db2\"]");
        // a container whose only link is on the network it leaves loses that link's lines
        docker("run", "-d", "--name", "uapp", "--network", "ulinknet", "busybox", "sleep", "300");
        docker("network", "connect", "--link", "udb:db3", "ulinknet2", "uapp");
        assertThat(docker("exec", "uapp", "cat", "/etc/hosts")).contains(ip2 + "\tdb3 udb");
        docker("network", "disconnect", "ulinknet2", "uapp");
        assertThat(docker("exec", "uapp", "cat", "/etc/hosts")).doesNotContain("db3");
        docker("network", "disconnect", "ulinknet2", "udb");
        assertThat(daemon.docker("exec", "uweb", "ping", "-c1", "-W2", "db2").exitCode()).isNotZero();
        assertThat(docker("exec", "uweb", "ping", "-c1", "-W2", "database")).contains("1 packets received");

        // the links are kept with the container: a restart of the linking container finds them again
        docker("restart", "-t", "0", "uweb");
        assertThat(docker("exec", "uweb", "ping", "-c1", "-W2", "database")).contains("1 packets received");

        docker("rm", "-f", "uweb", "udb", "later", "uapp");
        docker("network", "rm", "ulinknet", "ulinknet2");
    }
}
