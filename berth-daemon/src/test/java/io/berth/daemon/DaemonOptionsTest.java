package io.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.daemon.http.ApiHost;
import io.berth.oci.errors.InvalidArgumentException;

class DaemonOptionsTest {
    private static DaemonOptions parse(String... args) {
        return DaemonOptions.parse(args, Path.of("/nonexistent/daemon.json"));
    }

    @Test
    void theDefaultLogDriverIsJsonFileUnlessTheConfigFileSaysOtherwise(@TempDir Path tmp) throws Exception {
        assertThat(parse().defaultLog()).isEqualTo(io.berth.runtime.LogSettings.JSON_FILE);
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, "{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"5m\", \"max-file\": \"2\"}}");
        assertThat(DaemonOptions.parse(new String[] {"--config-file", file.toString()}).defaultLog())
                .isEqualTo(new io.berth.runtime.LogSettings("local", java.util.Map.of("max-size", "5m", "max-file", "2")));
        Files.writeString(file, "{\"log-driver\": \"splunk\"}");
        assertThatThrownBy(() -> DaemonOptions.parse(new String[] {"--config-file", file.toString()}))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("config file: logger: no log driver named 'splunk' is registered");
        Files.writeString(file, "{\"log-opts\": {\"max-file\": 3}}");
        assertThatThrownBy(() -> DaemonOptions.parse(new String[] {"--config-file", file.toString()}))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be a string");
    }

    @Test
    void defaultNetworkOptionsFromTheFileAndFlagsAsDockerdTakesThem(@TempDir Path tmp) throws Exception {
        assertThat(parse().defaultNetworkOptions()).isEmpty();
        assertThat(parse("--default-network-opt", "bridge=com.docker.network.driver.mtu=65520").defaultNetworkOptions())
                .isEqualTo(java.util.Map.of("com.docker.network.driver.mtu", "65520"));
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, "{\"default-network-opts\": {\"bridge\": {\"com.docker.network.driver.mtu\": \"9000\"}}}");
        assertThat(DaemonOptions.parse(new String[] {"--config-file", file.toString()}).defaultNetworkOptions())
                .isEqualTo(java.util.Map.of("com.docker.network.driver.mtu", "9000"));
        assertThat(DaemonOptions.parse(new String[] {"--config-file", file.toString(),
                "--default-network-opt=bridge=com.docker.network.driver.mtu=1400"}).defaultNetworkOptions())
                .as("a flag wins over the file").isEqualTo(java.util.Map.of("com.docker.network.driver.mtu", "1400"));

        assertThatThrownBy(() -> parse("--default-network-opt", "overlay=com.docker.network.driver.mtu=1400"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("berth supports only the bridge driver");
        assertThatThrownBy(() -> parse("--default-network-opt", "bridge"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("DRIVER=KEY=VALUE");
        assertThatThrownBy(() -> parse("--default-network-opt", "bridge=com.docker.network.driver.mtu=big"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("default network options: invalid MTU \"big\": not a number");
        assertThatThrownBy(() -> parse("--default-network-opt", "bridge=com.docker.network.bridge.enable_icc=false"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not support network option");
        Files.writeString(file, "{\"default-network-opts\": {\"bridge\": {\"com.docker.network.driver.mtu\": 9000}}}");
        assertThatThrownBy(() -> DaemonOptions.parse(new String[] {"--config-file", file.toString()}))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be a string");
    }

    @Test
    void defaults() {
        DaemonOptions o = parse();
        assertThat(o.dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(o.execRoot()).isEqualTo(Path.of("/run/berth/exec"));
        assertThat(o.socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("crun");
    }

    @Test
    void flagEqualsValueForm() {
        DaemonOptions o = parse("--data-root=/srv/berth", "--exec-root=/run/b", "--host=unix:///tmp/b.sock", "--runtime=runc");
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(o.execRoot()).isEqualTo(Path.of("/run/b"));
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/b.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("runc");
    }

    @Test
    void flagSpaceValueFormAndAliases() {
        DaemonOptions o = parse("--data-root", "/srv/berth", "-H", "unix:///tmp/x.sock", "--default-runtime", "runc");
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/x.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("runc");
    }

    @Test
    void anotherDataRootGetsItsOwnExecRootOnRun() {
        Path execRoot = parse("--data-root=/srv/berth").execRoot();
        assertThat(execRoot.toString()).matches("/run/berth/exec-[0-9a-f]{12}");
        assertThat(parse("--data-root=/srv/berth").execRoot()).isEqualTo(execRoot);
        assertThat(parse("--data-root=/srv/other").execRoot()).isNotEqualTo(execRoot);
        // The default data root keeps the tmpfs exec root even when named explicitly.
        assertThat(parse("--data-root=/var/lib/berth").execRoot()).isEqualTo(Path.of("/run/berth/exec"));
    }

    @Test
    void explicitExecRootWinsOverTheDataRootDefault() {
        assertThat(parse("--exec-root=/run/e", "--data-root=/srv/berth").execRoot()).isEqualTo(Path.of("/run/e"));
    }

    @Test
    void relativeRootsBecomeAbsolute() {
        DaemonOptions o = parse("--data-root=rel/data");
        assertThat(o.dataRoot()).isAbsolute().endsWithRaw(Path.of("rel/data"));
        assertThat(o.execRoot()).isEqualTo(DaemonOptions.defaultExecRoot(o.dataRoot()));
    }

    @Test
    void unknownFlagIsRejectedWithUsage() {
        assertThatThrownBy(() -> parse("--debug=true")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("unknown flag: --debug").hasMessageContaining("Usage: berthd");
    }

    @Test
    void missingValueIsRejected() {
        assertThatThrownBy(() -> parse("--data-root")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("flag needs a value: --data-root");
    }

    @Test
    void onlyUnixAndTcpHostsAndKnownRuntimes() {
        assertThatThrownBy(() -> parse("--host=fd://")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("only unix:// and tcp:// hosts are supported: fd://");
        assertThatThrownBy(() -> parse("-H", "tcp://127.0.0.1:2375/path")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid tcp address");
        assertThatThrownBy(() -> parse("--runtime=kata")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unknown runtime: kata");
    }

    @Test
    void severalHostsUnixAndTcpWithDockersDefaults() {
        DaemonOptions o = parse("-H", "unix:///tmp/a.sock", "-H", "tcp://127.0.0.1:3000", "-H", "tcp://localhost",
                "-H", "tcp://:4000", "-H", "unix:///tmp/a.sock");
        assertThat(o.hosts()).containsExactly(new ApiHost.Unix(Path.of("/tmp/a.sock")), new ApiHost.Tcp("127.0.0.1", 3000),
                new ApiHost.Tcp("localhost", 2375), new ApiHost.Tcp("127.0.0.1", 4000));
        assertThat(o.tls()).isNull();
        assertThat(parse("-H", "tcp://[::1]").hosts()).containsExactly(new ApiHost.Tcp("::1", 2375));
        // TCP only: no Unix socket at all, as dockerd with only tcp:// hosts
        assertThat(parse("-H", "tcp://127.0.0.1:2375").socket()).isNull();
    }

    @Test
    void plainTcpOffLoopbackIsRefusedWithTheWayOut() {
        for (String host : new String[] {"tcp://0.0.0.0:2375", "tcp://10.1.2.3:2375", "tcp://[::]:2375"}) {
            assertThatThrownBy(() -> parse("-H", host)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("berthd: refusing to listen on " + host.replace("[::]", "[::]") + " without --tlsverify")
                    .hasMessageContaining("--tlscacert, --tlscert and --tlskey");
        }
        // TLS that does not check clients is no better: anyone reaching the port is root
        assertThatThrownBy(() -> parse("-H", "tcp://0.0.0.0:2376", "--tls", "--tlscert=/c.pem", "--tlskey=/k.pem"))
                .hasMessageStartingWith("berthd: refusing to listen on tcp://0.0.0.0:2376 without --tlsverify");
        assertThatThrownBy(() -> parse("-H", "tcp://0.0.0.0:2376", "--tlsverify=false", "--tls"))
                .hasMessageStartingWith("berthd: refusing");
    }

    @Test
    void tlsverifyImpliesTlsAndTakesDockersDefaultFiles() {
        DaemonOptions o = DaemonOptions.parse(new String[] {"-H", "tcp://0.0.0.0", "--tlsverify"}, Path.of("/nonexistent"),
                java.util.Map.of("DOCKER_CERT_PATH", "/etc/certs"));
        assertThat(o.hosts()).containsExactly(new ApiHost.Tcp("0.0.0.0", 2376));
        assertThat(o.tls()).isEqualTo(new DaemonOptions.TlsFiles(Path.of("/etc/certs/ca.pem"), Path.of("/etc/certs/cert.pem"),
                Path.of("/etc/certs/key.pem"), true));
        DaemonOptions flags = parse("-H", "tcp://127.0.0.1:2376", "--tls", "--tlscacert", "/a/ca.pem", "--tlscert=/a/c.pem",
                "--tlskey", "/a/k.pem");
        assertThat(flags.tls()).isEqualTo(new DaemonOptions.TlsFiles(Path.of("/a/ca.pem"), Path.of("/a/c.pem"), Path.of("/a/k.pem"), false));
        assertThat(parse("--tlsverify", "-H", "unix:///x.sock").tls().ca()).isEqualTo(Path.of("/root/.docker/ca.pem"));
        assertThatThrownBy(() -> parse("--tls=maybe")).hasMessageContaining("invalid value for --tls: maybe");
    }

    @Test
    void hostsAndTlsFromTheConfigFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, """
                {"hosts": ["unix:///tmp/f.sock", "tcp://0.0.0.0:2376"], "tls": true, "tlsverify": true,
                 "tlscacert": "/c/ca.pem", "tlscert": "/c/cert.pem", "tlskey": "/c/key.pem"}
                """);
        DaemonOptions o = DaemonOptions.parse(new String[] {"--config-file", file.toString()}, Path.of("/nonexistent"));
        assertThat(o.hosts()).containsExactly(new ApiHost.Unix(Path.of("/tmp/f.sock")), new ApiHost.Tcp("0.0.0.0", 2376));
        assertThat(o.tls()).isEqualTo(new DaemonOptions.TlsFiles(Path.of("/c/ca.pem"), Path.of("/c/cert.pem"), Path.of("/c/key.pem"), true));
        Files.writeString(file, "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}");
        assertThatThrownBy(() -> DaemonOptions.parse(new String[] {"--config-file", file.toString()}, Path.of("/nonexistent")))
                .hasMessageStartingWith("berthd: refusing to listen on tcp://0.0.0.0:2375");
        Files.writeString(file, "{\"tlsverify\": \"yes\"}");
        assertThatThrownBy(() -> DaemonOptions.parse(new String[] {"--config-file", file.toString()}, Path.of("/nonexistent")))
                .hasMessageContaining("\"tlsverify\" must be true or false");
    }

    @Test
    void helpShowsUsage() {
        assertThatThrownBy(() -> parse("--help")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Usage: berthd");
        assertThatThrownBy(() -> parse("-h")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("--data-root");
    }

    @Test
    void aConfigFileFillsWhatFlagsLeaveOut(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, """
                {"data-root": "/srv/from-file", "hosts": ["unix:///tmp/file.sock"], "default-runtime": "runc",
                 "insecure-registries": ["reg.local:5000", "10.0.0.0/8"], "unknown-key": true}
                """);
        DaemonOptions o = DaemonOptions.parse(new String[] {"--config-file", file.toString(),
                "--runtime", "crun", "--insecure-registry", "other:1"}, Path.of("/nonexistent"));
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/from-file"));
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/file.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("crun"); // the flag wins
        assertThat(o.insecureRegistries()).containsExactly("other:1", "reg.local:5000", "10.0.0.0/8");
        assertThat(o.execRoot()).isEqualTo(DaemonOptions.defaultExecRoot(Path.of("/srv/from-file")));
    }

    @Test
    void aMissingOrBrokenConfigFileNamedByFlagIsAnError(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(
                new String[] {"--config-file", tmp.resolve("nope.json").toString()}, Path.of("/nonexistent")))
                .hasMessageContaining("config file not found");
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "[1, 2");
        assertThatThrownBy(() -> DaemonOptions.parse(
                new String[] {"--config-file", broken.toString()}, Path.of("/nonexistent")))
                .hasMessageContaining("config file");
    }

    @Test
    void socketGroupFromFlagOrFileElseTheDefaultThatMayBeAbsent(@TempDir Path tmp) throws Exception {
        assertThat(parse().socketGroup()).isEqualTo("berth");
        assertThat(parse().socketGroupExplicit()).isFalse();
        DaemonOptions flag = parse("--group", "staff");
        assertThat(flag.socketGroup()).isEqualTo("staff");
        assertThat(flag.socketGroupExplicit()).isTrue();
        assertThat(parse("-G", "").socketGroup()).isEmpty();
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, "{\"group\": \"adm\"}");
        DaemonOptions fromFile = DaemonOptions.parse(new String[] {"--config-file", file.toString()}, Path.of("/nonexistent"));
        assertThat(fromFile.socketGroup()).isEqualTo("adm");
        assertThat(fromFile.socketGroupExplicit()).isTrue();
        assertThat(DaemonOptions.parse(new String[] {"--config-file", file.toString(), "--group=staff"}, Path.of("/nonexistent"))
                .socketGroup()).isEqualTo("staff");
    }
}
