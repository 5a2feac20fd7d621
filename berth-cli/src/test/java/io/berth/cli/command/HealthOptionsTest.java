package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HealthOptionsTest {

    private static JsonNode body(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run.model()).setStopAtPositional(true).parseArgs(args);
        return run.options.toCreateBody(run.detach, Map.of());
    }

    @Test
    void healthFlagsBecomeConfigHealthcheckInNanoseconds() {
        JsonNode h = body("--health-cmd", "wget -q -O- localhost", "--health-interval", "1m30s", "--health-timeout", "500ms",
                "--health-start-period", "2s", "--health-start-interval", "1.5s", "--health-retries", "4", "busybox").path("Healthcheck");
        assertThat(h.path("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"wget -q -O- localhost\"]");
        assertThat(h.path("Interval").asLong()).isEqualTo(90_000_000_000L);
        assertThat(h.path("Timeout").asLong()).isEqualTo(500_000_000L);
        assertThat(h.path("StartPeriod").asLong()).isEqualTo(2_000_000_000L);
        assertThat(h.path("StartInterval").asLong()).isEqualTo(1_500_000_000L);
        assertThat(h.path("Retries").asInt()).isEqualTo(4);
        // only a duration: the image's test is kept ([] inherits)
        assertThat(body("--health-interval", "5s", "busybox").path("Healthcheck").path("Test").isEmpty()).isTrue();
        assertThat(body("busybox").has("Healthcheck")).isFalse();
    }

    @Test
    void noHealthcheckIsTestNoneAndConflictsWithTheOthers() {
        assertThat(body("--no-healthcheck", "busybox").path("Healthcheck").toString()).isEqualTo("{\"Test\":[\"NONE\"]}");
        assertThatThrownBy(() -> body("--no-healthcheck", "--health-retries", "2", "busybox"))
                .hasMessage("--no-healthcheck conflicts with --health-* options");
        assertThatThrownBy(() -> body("--health-interval", "-1s", "busybox")).hasMessage("--health-interval cannot be negative");
        assertThatThrownBy(() -> body("--health-timeout", "5", "busybox")).hasMessageContaining("invalid duration \"5\"");
    }
}
