package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Log drivers through the docker CLI and the berth CLI against a real berthd: json-file (the default) with
 * Docker's rotation options, local, k8s-file, none, refusals by name, and daemon.json's default.
 */
@Tag("privileged")
class LogDriversTest {
    /** 1000 numbered lines of ~70 bytes per round (about 115 kB of records), then a pause for the rotation check. */
    private static final String ROUNDS = "for r in $(seq 0 %d); do seq $((r*1000+1)) $((r*1000+1000)) | sed 's/^/line-/;s/$/-"
            + "x".repeat(60) + "/'; sleep 0.4; done";
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("log-drivers");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void jsonFileIsTheDefaultAndItsLogIsRead() throws Exception {
        daemon.docker("run", "--name", "plain", "busybox", "sh", "-c", "echo out; echo err >&2").orFail();
        assertThat(daemon.docker("logs", "plain").orFail().stdout()).isEqualTo("out\n");
        assertThat(daemon.docker("logs", "plain").orFail().stderr()).isEqualTo("err\n");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", "plain").orFail().out().trim())
                .isEqualTo("{\"Type\":\"json-file\",\"Config\":{}}");
        assertThat(daemon.docker("info", "-f", "{{.LoggingDriver}}").orFail().out().trim()).isEqualTo("json-file");
    }

    @Test
    void jsonFileRotatesAtMaxSizeKeepingMaxFileFilesCompressed() throws Exception {
        daemon.docker("run", "--name", "rotating", "--log-opt", "max-size=100k", "--log-opt", "max-file=3",
                "--log-opt", "compress=true", "busybox", "sh", "-c", ROUNDS.formatted(9) + "; sleep 1").orFail();
        Path dir = logDir("rotating");
        String log = id("rotating") + "-json.log";
        assertThat(names(dir)).contains(log, log + ".1.gz", log + ".2.gz")
                .noneMatch(n -> n.startsWith(log + ".3")).noneMatch(n -> n.equals(log + ".1") || n.equals(log + ".2"))
                .noneMatch(n -> n.startsWith("ctr.log"));
        List<Integer> numbers = numbers(daemon.docker("logs", "rotating").orFail().out());
        // the newest lines, in order, without a gap; the oldest rotated away
        assertThat(numbers.getLast()).isEqualTo(10_000);
        assertThat(numbers.getFirst()).isGreaterThan(1);
        for (int i = 1; i < numbers.size(); i++) assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
        assertThat(numbers(daemon.docker("logs", "--tail", "3", "rotating").orFail().out())).containsExactly(9998, 9999, 10_000);
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.LogConfig.Config}}", "rotating").orFail().out().trim())
                .isEqualTo("{\"compress\":\"true\",\"max-file\":\"3\",\"max-size\":\"100k\"}");
    }

    @Test
    void followingAcrossRotationsLosesNoLine() throws Exception {
        daemon.docker("run", "-d", "--name", "followed", "--log-opt", "max-size=50k", "--log-opt", "max-file=100",
                "busybox", "sh", "-c", "sleep 1; " + ROUNDS.formatted(5)).orFail();
        String followed = daemon.docker("logs", "-f", "followed").orFail().out();
        assertThat(numbers(followed)).hasSize(6000).isSorted().startsWith(1).endsWith(6000);
        assertThat(names(logDir("followed"))).contains(id("followed") + "-json.log.1").noneMatch(n -> n.endsWith(".gz"));
    }

    /** Docker's file: the path inspect gives, one JSON object a line as python's json module reads it. */
    @Test
    void jsonFileWritesDockersFileAndDockerLogsReadsIt() throws Exception {
        daemon.docker("run", "--name", "docker-format", "busybox", "sh", "-c",
                "echo 'a \"quoted\" <tag> & \\ tab\there'; echo err >&2; printf 'no newline'").orFail();
        String id = id("docker-format");
        Path log = Path.of(daemon.docker("inspect", "-f", "{{.LogPath}}", "docker-format").orFail().out().trim());
        assertThat(log).isEqualTo(daemon.dataRoot.resolve("containers").resolve(id).resolve(id + "-json.log"));
        Cmd.Result py = Cmd.run(List.of("/usr/bin/python3", "-c", """
                import json, sys
                for line in open(sys.argv[1], encoding='utf-8'):
                    r = json.loads(line)
                    assert sorted(r) == ['log', 'stream', 'time'], r
                    print(r['stream'], repr(r['log']), r['time'][-1], len(r['time']) >= 20)
                """, log.toString()), Map.of(), null, Duration.ofSeconds(30));
        assertThat(py.exitCode()).as(py.stderr()).isZero();
        assertThat(py.stdout().lines().sorted().toList()).containsExactly(
                "stderr 'err\\n' Z True",
                "stdout 'a \"quoted\" <tag> & \\\\ tab\\there\\n' Z True",
                "stdout 'no newline' Z True");
        assertThat(Files.readString(log)).contains("\\u003ctag\\u003e \\u0026").contains("\\u0009");
        assertThat(daemon.docker("logs", "docker-format").orFail().stdout())
                .isEqualTo("a \"quoted\" <tag> & \\ tab\there\nno newline");
        assertThat(daemon.docker("logs", "-t", "--tail", "1", "docker-format").orFail().stdout())
                .matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z no newline");
    }

    @Test
    void jsonFileFollowTailAndSince() throws Exception {
        daemon.docker("run", "-d", "--name", "json-follow", "busybox", "sh", "-c",
                "for i in $(seq 1 5); do echo early-$i; done; sleep 2; for i in $(seq 1 300); do echo late-$i; done; sleep 1").orFail();
        Thread.sleep(1000);
        String since = java.time.Instant.now().toString();
        String followed = daemon.docker("logs", "-f", "--tail", "2", "json-follow").orFail().stdout();
        List<String> lines = followed.lines().toList();
        assertThat(lines).hasSize(302).startsWith("early-4", "early-5", "late-1").endsWith("late-300");
        List<String> after = daemon.docker("logs", "--since", since, "json-follow").orFail().stdout().lines().toList();
        assertThat(after).hasSize(300).startsWith("late-1");
    }

    @Test
    void localRotatesAndCompressesByDefault() throws Exception {
        daemon.docker("run", "--name", "local", "--log-driver", "local", "--log-opt", "max-size=100k", "busybox", "sh", "-c",
                ROUNDS.formatted(3) + "; sleep 1").orFail();
        assertThat(names(logDir("local"))).contains("ctr.log", "ctr.log.1.gz");
        assertThat(numbers(daemon.docker("logs", "--tail", "1", "local").orFail().out())).containsExactly(4000);
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", "local").orFail().out().trim())
                .isEqualTo("{\"Type\":\"local\",\"Config\":{\"max-size\":\"100k\"}}");
    }

    @Test
    void k8sFileIsRead() throws Exception {
        daemon.docker("run", "--name", "k8s", "--log-driver", "k8s-file", "busybox", "echo", "hello").orFail();
        assertThat(daemon.docker("logs", "-t", "k8s").orFail().stdout()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z hello\n");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", "k8s").orFail().out().trim()).isEqualTo("k8s-file");
    }

    @Test
    void noneKeepsNothingAndLogsSayWhy() throws Exception {
        daemon.docker("run", "--name", "quiet", "--log-driver", "none", "busybox", "echo", "hello").orFail();
        Cmd.Result logs = daemon.docker("logs", "quiet");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.stderr()).contains("configured logging driver does not support reading");
        assertThat(daemon.docker("inspect", "-f", "{{.LogPath}}|{{.HostConfig.LogConfig.Type}}", "quiet").orFail().out().trim())
                .isEqualTo("|none");
        assertThat(names(daemon.dataRoot.resolve("containers").resolve(id("quiet")))).noneMatch(n -> n.startsWith("ctr.log"));
        // a run attached to the container still shows its output: that comes from conmon, not the log
        assertThat(daemon.docker("run", "--rm", "--log-driver", "none", "busybox", "echo", "live").orFail().stdout()).isEqualTo("live\n");
    }

    @Test
    void anUnknownDriverOrOptionIsRefusedByName() throws Exception {
        Cmd.Result driver = daemon.docker("run", "--log-driver", "syslog", "busybox", "true");
        assertThat(driver.exitCode()).isEqualTo(125);
        assertThat(driver.stderr()).contains("logger: no log driver named 'syslog' is registered");
        Cmd.Result opt = daemon.docker("create", "--log-opt", "labels=a", "busybox", "true");
        assertThat(opt.stderr()).contains("unknown log opt 'labels' for json-file log driver");
        Cmd.Result value = daemon.docker("create", "--log-opt", "max-file=0", "busybox", "true");
        assertThat(value.stderr()).contains("max-file cannot be less than 1");
        Cmd.Result compress = daemon.docker("create", "--log-opt", "compress=true", "busybox", "true");
        assertThat(compress.stderr()).contains("compress cannot be true when max-file is less than 2 or max-size is not set");
        assertThat(daemon.docker("create", "--log-driver", "none", "--log-opt", "max-size=1m", "busybox", "true").exitCode()).isNotZero();
    }

    @Test
    void berthRunTakesLogDriverAndLogOpt() throws Exception {
        daemon.cli("run", "--name", "cli-log", "--log-driver", "local", "--log-opt", "max-file=2", "busybox", "echo", "hi").orFail();
        assertThat(daemon.cli("logs", "cli-log").orFail().stdout()).isEqualTo("hi\n");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", "cli-log").orFail().out().trim())
                .isEqualTo("{\"Type\":\"local\",\"Config\":{\"max-file\":\"2\"}}");
        assertThat(daemon.cli("run", "--log-driver", "journald", "busybox", "true").exitCode()).isNotZero();
    }

    @Test
    void daemonJsonSetsTheDefaultDriverAndOptionsAndIsChecked() throws Exception {
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-log-default-");
        Path config = root.resolve("daemon.json");
        Files.writeString(config, "{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"1m\"}}");
        BerthdProcess other = new BerthdProcess(root).withArgs("--config-file", config.toString()).start();
        try {
            other.cli("image", "make-busybox", "busybox:latest").orFail();
            assertThat(other.docker("info", "-f", "{{.LoggingDriver}}").orFail().out().trim()).isEqualTo("local");
            other.docker("create", "--name", "d1", "busybox", "true").orFail();
            assertThat(other.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", "d1").orFail().out().trim())
                    .isEqualTo("{\"Type\":\"local\",\"Config\":{\"max-size\":\"1m\"}}");
            // the default's options are the default driver's only
            other.docker("create", "--name", "d2", "--log-driver", "json-file", "busybox", "true").orFail();
            assertThat(other.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", "d2").orFail().out().trim())
                    .isEqualTo("{\"Type\":\"json-file\",\"Config\":{}}");
        } finally {
            DaemonFixture.stop(other);
        }
        Path badRoot = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-log-bad-");
        Path bad = badRoot.resolve("daemon.json");
        Files.writeString(bad, "{\"log-driver\": \"gelf\"}");
        BerthdProcess refused = new BerthdProcess(badRoot).withArgs("--config-file", bad.toString());
        try {
            assertThat(refused.startExpectingExit()).isNotZero();
            assertThat(Files.readString(refused.log)).contains("no log driver named 'gelf'");
        } finally {
            refused.close();
            Cmd.run(List.of("rm", "-rf", badRoot.toString()), Map.of(), null, Duration.ofSeconds(60));
        }
    }

    private static String id(String name) throws Exception {
        return daemon.docker("inspect", "-f", "{{.Id}}", name).orFail().out().trim();
    }

    private static Path logDir(String name) throws Exception {
        return Path.of(daemon.docker("inspect", "-f", "{{.LogPath}}", name).orFail().out().trim()).getParent();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<Integer> numbers(String out) {
        List<Integer> n = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("line-")) n.add(Integer.parseInt(line.substring(5, line.indexOf('-', 5))));
        }
        return n;
    }
}
