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
 * scripts/setup-host.sh (./run-tests runs it before the build): what networks and their tests need is there, and
 * once it has run, running it again changes nothing and says nothing.
 */
@Tag("privileged")
class HostSetupTest {

    @Test
    void aSecondRunIsSilentAndSucceeds() throws Exception {
        run(script().toString()).orFail();
        Cmd.Result again = run(script().toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout() + again.stderr()).isEmpty();
    }

    @Test
    void theNetworkStackAndItsTestToolsAreInstalled() throws Exception {
        assertThat(run("/usr/lib/podman/netavark", "--version").orFail().out()).startsWith("netavark 1.");
        assertThat(run("/usr/lib/podman/aardvark-dns", "--version").orFail().out()).startsWith("aardvark-dns 1.");
        assertThat(run("iptables", "-V").orFail().out()).startsWith("iptables v1.8");
        assertThat(run("nft", "--version").orFail().out()).startsWith("nftables v1.");
        assertThat(run("ip", "-V").orFail().out()).contains("iproute2");
        assertThat(run("debootstrap", "--version").orFail().out()).startsWith("debootstrap 1.");
        assertThat(run("iperf3", "--version").orFail().out()).startsWith("iperf 3.");
        // Debian's python3 with Debian's SDK: a python3 earlier on PATH (pyenv) may carry another docker package.
        assertThat(run("/usr/bin/python3", "-c", "import docker; print(docker.__version__)").orFail().out()).startsWith("5.");
        assertThat(run("docker-compose", "version").orFail().out()).startsWith("docker-compose version 1.29");
    }

    @Test
    void forwardingIsOn() throws Exception {
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("1");
        Path v6 = Path.of("/proc/sys/net/ipv6/conf/all/forwarding");
        if (Files.exists(v6)) assertThat(Files.readString(v6).strip()).isEqualTo("1");
    }

    private static Path script() {
        return DebianBaseImage.script().resolveSibling("setup-host.sh");
    }

    private static Cmd.Result run(String... cmd) throws Exception {
        return Cmd.run(List.of(cmd), Map.of(), null, Duration.ofMinutes(2));
    }
}
