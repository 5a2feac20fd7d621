package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Healthchecks run by berthd as Docker's daemon runs them, seen through the unmodified docker CLI, the berth CLI
 * and docker-py: status transitions with their timing, the log, timeouts, the start period, events, `ps`, the
 * health filter, a Dockerfile HEALTHCHECK, and checks that carry on after berthd is killed and started again.
 */
@Tag("privileged")
class HealthcheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BerthdProcess daemon;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("health");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void containersTurnHealthyOrUnhealthyAndPsEventsAndFiltersShowIt() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        daemon.docker("run", "-d", "--name", "h-ok", "--health-cmd", "echo fine", "--health-interval", "300ms",
                "busybox", "sleep", "300").orFail();
        daemon.docker("run", "-d", "--name", "h-bad", "--health-cmd", "echo bad; exit 3", "--health-interval", "200ms",
                "--health-retries", "2", "busybox", "sleep", "300").orFail();
        daemon.cli("run", "-d", "--name", "h-slow", "--health-cmd", "true", "--health-interval", "1h", "busybox", "sleep", "300").orFail();
        daemon.docker("run", "-d", "--name", "h-none", "busybox", "sleep", "300").orFail();

        JsonNode ok = awaitHealth("h-ok", "healthy", Duration.ofSeconds(15));
        assertThat(ok.path("FailingStreak").asInt()).isZero();
        assertThat(ok.at("/Log/0/ExitCode").asInt()).isZero();
        assertThat(ok.at("/Log/0/Output").asText()).isEqualTo("fine\n");
        assertThat(Instant.parse(ok.at("/Log/0/End").asText())).isAfterOrEqualTo(Instant.parse(ok.at("/Log/0/Start").asText()));

        JsonNode bad = awaitHealth("h-bad", "unhealthy", Duration.ofSeconds(15));
        assertThat(bad.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(bad.at("/Log/0/ExitCode").asInt()).isEqualTo(3);
        assertThat(bad.at("/Log/0/Output").asText()).isEqualTo("bad\n");
        // the log keeps the newest five
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (health("h-bad").path("FailingStreak").asInt() < 7 && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(health("h-bad").path("FailingStreak").asInt()).isGreaterThanOrEqualTo(7);
        assertThat(health("h-bad").path("Log").size()).isEqualTo(5);

        assertThat(health("h-slow").path("Status").asText()).isEqualTo("starting");
        assertThat(daemon.docker("inspect", "-f", "{{json .State.Health}}", "h-none").orFail().out()).isEqualTo("null");

        // docker ps: "Up N seconds (healthy)", as Docker's daemon words the Status
        Map<String, String> status = psStatus();
        assertThat(status.get("h-ok")).matches("Up .* \\(healthy\\)");
        assertThat(status.get("h-bad")).matches("Up .* \\(unhealthy\\)");
        assertThat(status.get("h-slow")).matches("Up .* \\(health: starting\\)");
        assertThat(status.get("h-none")).matches("Up [^(]*");
        assertThat(daemon.cli("ps", "--format", "{{.Names}} {{.Status}}").orFail().out()).contains("h-ok Up").contains("(healthy)");

        assertThat(names("health=healthy")).containsExactly("h-ok");
        assertThat(names("health=unhealthy")).containsExactly("h-bad");
        assertThat(names("health=starting")).containsExactly("h-slow");
        assertThat(names("health=none")).contains("h-none").doesNotContain("h-ok", "h-bad", "h-slow");
        assertThat(daemon.docker("ps", "--filter", "health=sick").stderr()).contains("Unrecognised filter value for health: sick");

        String until = Long.toString(Instant.now().getEpochSecond() + 1);
        String events = daemon.docker("events", "--since", since, "--until", until, "--filter", "event=health_status",
                "--format", "{{.Action}} {{.Actor.Attributes.name}}").orFail().out();
        assertThat(events.lines().toList()).contains("health_status: healthy h-ok", "health_status: unhealthy h-bad")
                .allMatch(l -> l.startsWith("health_status: "));

        // stopped: no more checks, the last health stays for inspect; started again: starting, then checked anew
        daemon.docker("stop", "-t", "0", "h-bad").orFail();
        int logged = health("h-bad").path("FailingStreak").asInt();
        Thread.sleep(800);
        assertThat(health("h-bad").path("FailingStreak").asInt()).isEqualTo(logged);
        daemon.docker("start", "h-bad").orFail();
        JsonNode restarted = health("h-bad");
        assertThat(restarted.path("Status").asText()).isEqualTo("starting");
        assertThat(restarted.path("FailingStreak").asInt()).isZero();
        assertThat(restarted.path("Log").size()).isEqualTo(5);
        awaitHealth("h-bad", "unhealthy", Duration.ofSeconds(15));
        daemon.docker("rm", "-f", "h-ok", "h-bad", "h-slow", "h-none").orFail();
    }

    @Test
    void oneContainerGoesStartingHealthyUnhealthyAndHealthyAgainWithAnEventForEachChange() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        Instant created = Instant.now();
        daemon.docker("run", "-d", "--name", "h-flip", "--health-cmd", "test ! -f /tmp/broken", "--health-interval", "200ms",
                "--health-retries", "3", "busybox", "sleep", "300").orFail();
        assertThat(health("h-flip").path("Status").asText()).isIn("starting", "healthy");
        awaitHealth("h-flip", "healthy", Duration.ofSeconds(10));
        assertThat(Duration.between(created, Instant.now())).as("the first check comes after one interval").isLessThan(Duration.ofSeconds(5));

        daemon.docker("exec", "h-flip", "touch", "/tmp/broken").orFail();
        Instant broken = Instant.now();
        JsonNode sick = awaitHealth("h-flip", "unhealthy", Duration.ofSeconds(10));
        Duration tookSick = Duration.between(broken, Instant.now());
        // three failures 200 ms apart: not before the third, and not long after it
        assertThat(tookSick).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(5));
        assertThat(sick.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(3);

        daemon.docker("exec", "h-flip", "rm", "/tmp/broken").orFail();
        JsonNode healed = awaitHealth("h-flip", "healthy", Duration.ofSeconds(10));
        assertThat(healed.path("FailingStreak").asInt()).isZero();

        String until = Long.toString(Instant.now().getEpochSecond() + 1);
        List<String> events = daemon.docker("events", "--since", since, "--until", until, "--filter", "container=h-flip",
                "--filter", "event=health_status", "--format", "{{.Action}}").orFail().out().lines().toList();
        // one event per change of status (Docker emits one per check only when the status changes)
        assertThat(events).containsExactly("health_status: healthy", "health_status: unhealthy", "health_status: healthy");
        daemon.docker("rm", "-f", "h-flip").orFail();
    }

    @Test
    void pauseStopsTheChecksAndUnpauseResumesThemWithoutAReset() throws Exception {
        daemon.docker("run", "-d", "--name", "h-pause", "--health-cmd", "true", "--health-interval", "200ms",
                "busybox", "sleep", "300").orFail();
        awaitHealth("h-pause", "healthy", Duration.ofSeconds(15));
        daemon.docker("pause", "h-pause").orFail();
        Thread.sleep(300);
        String last = lastEnd(health("h-pause"));
        Thread.sleep(1000);
        JsonNode paused = health("h-pause");
        assertThat(lastEnd(paused)).as("no checks while paused").isEqualTo(last);
        assertThat(paused.path("Status").asText()).isEqualTo("healthy");
        assertThat(psStatus().get("h-pause")).matches("Up .* \\(Paused\\)");
        daemon.docker("unpause", "h-pause").orFail();
        assertThat(health("h-pause").path("Status").asText()).as("unpause does not reset").isEqualTo("healthy");
        Thread.sleep(1000);
        assertThat(lastEnd(health("h-pause"))).as("checks run again").isNotEqualTo(last);
        daemon.docker("rm", "-f", "h-pause").orFail();
    }

    private static String lastEnd(JsonNode health) {
        JsonNode log = health.path("Log");
        return log.get(log.size() - 1).path("End").asText();
    }

    @Test
    void aCheckPastItsTimeoutIsKilledAndFailsWithDockersMessage() throws Exception {
        daemon.docker("run", "-d", "--name", "h-timeout", "--health-cmd", "echo partial; sleep 30", "--health-timeout", "300ms",
                "--health-interval", "200ms", "--health-retries", "1", "busybox", "sleep", "300").orFail();
        JsonNode h = awaitHealth("h-timeout", "unhealthy", Duration.ofSeconds(15));
        JsonNode entry = h.at("/Log/0");
        assertThat(entry.path("ExitCode").asInt()).isEqualTo(-1);
        assertThat(entry.path("Output").asText()).isEqualTo("Health check exceeded timeout (300ms): partial\n");
        assertThat(Duration.between(Instant.parse(entry.path("Start").asText()), Instant.parse(entry.path("End").asText())))
                .isLessThan(Duration.ofSeconds(3));
        // the killed check's shell is gone from the container (its sleep may linger as Docker's does, but not the check)
        Thread.sleep(500);
        String ps = daemon.docker("exec", "h-timeout", "ps", "-o", "args").orFail().out();
        assertThat(ps).doesNotContain("echo partial");
        daemon.docker("rm", "-f", "h-timeout").orFail();
    }

    @Test
    void failuresInTheStartPeriodDoNotCountAndTheStartIntervalApplies() throws Exception {
        Instant started = Instant.now();
        // the berth CLI: the docker CLI sends --health-start-interval only to API 1.44, berthd announces 1.43
        daemon.cli("run", "-d", "--name", "h-period", "--health-cmd", "test -f /tmp/ready", "--health-interval", "1h",
                "--health-start-period", "20s", "--health-start-interval", "200ms", "--health-retries", "1",
                "busybox", "sh", "-c", "sleep 2; touch /tmp/ready; sleep 300").orFail();
        Thread.sleep(1500);
        JsonNode early = health("h-period");
        assertThat(early.path("Status").asText()).isEqualTo("starting");
        assertThat(early.path("FailingStreak").asInt()).isZero();
        assertThat(early.path("Log").size()).as("checks every 200 ms during the start period, not every hour").isGreaterThanOrEqualTo(2);
        assertThat(early.at("/Log/0/ExitCode").asInt()).isEqualTo(1);
        awaitHealth("h-period", "healthy", Duration.ofSeconds(15));
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(15));
        // healthy ends the start period: the next check waits the interval (an hour)
        int checks = health("h-period").path("Log").size();
        Thread.sleep(1000);
        assertThat(health("h-period").path("Log").size()).isEqualTo(checks);
        daemon.docker("rm", "-f", "h-period").orFail();
    }

    @Test
    void aDockerfileHealthcheckLandsInTheImageAndRunsAndNoHealthcheckDisablesIt() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n"
                + "HEALTHCHECK --interval=300ms --timeout=2s --start-period=1s --start-interval=100ms --retries=2 CMD test -f /etc/hostname\n");
        daemon.docker("build", "-t", "checked:1", ctx.toString()).orFail();
        assertThat(JSON.readTree(daemon.docker("image", "inspect", "-f", "{{json .Config.Healthcheck}}", "checked:1").orFail().out()))
                .isEqualTo(JSON.readTree("{\"Test\":[\"CMD-SHELL\",\"test -f /etc/hostname\"],\"Interval\":300000000,"
                        + "\"Timeout\":2000000000,\"StartPeriod\":1000000000,\"StartInterval\":100000000,\"Retries\":2}"));

        daemon.docker("run", "-d", "--name", "h-image", "checked:1", "sleep", "300").orFail();
        awaitHealth("h-image", "healthy", Duration.ofSeconds(15));
        // the request's fields win one by one; the rest comes from the image
        daemon.docker("run", "-d", "--name", "h-merged", "--health-retries", "7", "checked:1", "sleep", "300").orFail();
        assertThat(JSON.readTree(daemon.docker("inspect", "-f", "{{json .Config.Healthcheck}}", "h-merged").orFail().out()))
                .isEqualTo(JSON.readTree("{\"Test\":[\"CMD-SHELL\",\"test -f /etc/hostname\"],\"Interval\":300000000,"
                        + "\"Timeout\":2000000000,\"StartPeriod\":1000000000,\"StartInterval\":100000000,\"Retries\":7}"));
        daemon.docker("run", "-d", "--name", "h-off", "--no-healthcheck", "checked:1", "sleep", "300").orFail();
        Thread.sleep(1000);
        assertThat(daemon.docker("inspect", "-f", "{{json .State.Health}}", "h-off").orFail().out()).isEqualTo("null");
        assertThat(names("health=none")).contains("h-off");
        assertThat(daemon.docker("run", "--rm", "--health-interval", "10us", "busybox", "true").stderr())
                .contains("Interval in Healthcheck cannot be less than 1ms");
        daemon.docker("rm", "-f", "h-image", "h-merged", "h-off").orFail();
    }

    @Test
    void checksCarryOnAfterBerthdIsKilledAndDockerPyReadsTheHealth() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("health-restart");
        BerthdProcess second = null;
        try {
            first.docker("run", "-d", "--name", "h-survivor", "--health-cmd", "echo alive", "--health-interval", "300ms",
                    "busybox", "sleep", "300").orFail();
            awaitHealth(first, "h-survivor", "healthy", Duration.ofSeconds(15));
            first.killHard();

            second = new BerthdProcess(first.root).start();
            // the saved health is shown at once (reset to starting, as Docker's daemon does on restore, the log kept)
            JsonNode restored = health(second, "h-survivor");
            assertThat(restored.path("Log").size()).isPositive();
            assertThat(restored.at("/Log/0/Output").asText()).isEqualTo("alive\n");
            JsonNode again = awaitHealth(second, "h-survivor", "healthy", Duration.ofSeconds(15));
            int before = again.path("Log").size();
            String lastEnd = again.at("/Log/" + (before - 1) + "/End").asText();
            Thread.sleep(1000);
            JsonNode later = health(second, "h-survivor");
            assertThat(later.at("/Log/" + (later.path("Log").size() - 1) + "/End").asText()).as("checks run again").isNotEqualTo(lastEnd);

            String py = Cmd.run(List.of("python3", "-c", "import docker, json, sys\n"
                    + "c = docker.DockerClient(base_url='unix://' + sys.argv[1])\n"
                    + "h = c.containers.get('h-survivor').attrs['State']['Health']\n"
                    + "print(h['Status'], len(h['Log']) > 0, h['Log'][-1]['Output'].strip())", second.socket.toString()),
                    Map.of(), null, Duration.ofSeconds(60)).orFail().out();
            assertThat(py).isEqualTo("healthy True alive");
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }

    private static Map<String, String> psStatus() throws Exception {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : daemon.docker("ps", "--format", "{{.Names}}\t{{.Status}}").orFail().out().lines().toList()) {
            String[] parts = line.split("\t", 2);
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    private static List<String> names(String filter) throws Exception {
        return daemon.docker("ps", "--filter", filter, "--format", "{{.Names}}").orFail().out().lines().toList();
    }

    private static JsonNode health(String name) throws Exception {
        return health(daemon, name);
    }

    private static JsonNode health(BerthdProcess d, String name) throws Exception {
        return JSON.readTree(d.docker("inspect", "-f", "{{json .State.Health}}", name).orFail().out());
    }

    private static JsonNode awaitHealth(String name, String wanted, Duration timeout) throws Exception {
        return awaitHealth(daemon, name, wanted, timeout);
    }

    private static JsonNode awaitHealth(BerthdProcess d, String name, String wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode h = health(d, name);
        while (!h.path("Status").asText().equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            h = health(d, name);
        }
        assertThat(h.path("Status").asText()).as("health of " + name + ": " + h).isEqualTo(wanted);
        return h;
    }
}
