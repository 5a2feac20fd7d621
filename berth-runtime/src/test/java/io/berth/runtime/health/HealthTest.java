package io.berth.runtime.health;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The state machine, fed results and times: no container, no clock. */
class HealthTest {
    private static final long S = 1_000_000_000L;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthResult at(long seconds, int code) {
        return new HealthResult(T0.plusSeconds(seconds), T0.plusSeconds(seconds), code, "exit " + code);
    }

    @Test
    void failuresCountUpToRetriesThenASuccessHeals() {
        HealthConfig c = new HealthConfig(List.of("CMD", "x"), S, S, 0, 0, 3);
        Health h = Health.starting(null);
        h = h.after(at(1, 1), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.STARTING);
        assertThat(h.failingStreak()).isEqualTo(1);
        h = h.after(at(2, 2), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.STARTING);
        h = h.after(at(3, -1), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.UNHEALTHY);
        assertThat(h.failingStreak()).isEqualTo(3);
        h = h.after(at(4, 0), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.HEALTHY);
        assertThat(h.failingStreak()).isZero();
        h = h.after(at(5, 1), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.HEALTHY);
        assertThat(h.failingStreak()).isEqualTo(1);
    }

    @Test
    void failuresInTheStartPeriodDoNotCountUntilItEndsAndASuccessEndsIt() {
        HealthConfig c = new HealthConfig(List.of("CMD", "x"), 10 * S, S, 5 * S, S, 1);
        Health h = Health.starting(null);
        h = h.after(at(1, 1), c, T0).after(at(4, 1), c, T0);
        assertThat(h.status()).isEqualTo(Health.Status.STARTING);
        assertThat(h.failingStreak()).isZero();
        assertThat(h.nextDelay(c, T0, T0.plusSeconds(4))).isEqualTo(S);
        assertThat(h.nextDelay(c, T0, T0.plusSeconds(5))).isEqualTo(10 * S);
        assertThat(h.after(at(5, 1), c, T0).status()).isEqualTo(Health.Status.UNHEALTHY);
        Health healthy = h.after(at(2, 0), c, T0);
        assertThat(healthy.nextDelay(c, T0, T0.plusSeconds(2))).isEqualTo(10 * S);
        // once healthy, a failure inside the start period counts
        assertThat(healthy.after(at(3, 1), c, T0).status()).isEqualTo(Health.Status.UNHEALTHY);
    }

    @Test
    void theLogKeepsTheNewestFiveAndARestartKeepsIt() {
        HealthConfig c = new HealthConfig(List.of("CMD", "x"), S, S, 0, 0, 10);
        Health h = Health.starting(null);
        for (int i = 1; i <= 7; i++) h = h.after(at(i, i), c, T0);
        assertThat(h.log()).extracting(HealthResult::exitCode).containsExactly(3, 4, 5, 6, 7);
        Health restarted = Health.starting(h);
        assertThat(restarted.status()).isEqualTo(Health.Status.STARTING);
        assertThat(restarted.failingStreak()).isZero();
        assertThat(restarted.log()).hasSize(5);
    }

    @Test
    void psSummaries() {
        assertThat(Health.starting(null).summary()).isEqualTo("health: starting");
        assertThat(new Health(Health.Status.HEALTHY, 0, List.of()).summary()).isEqualTo("healthy");
        assertThat(new Health(Health.Status.UNHEALTHY, 3, List.of()).summary()).isEqualTo("unhealthy");
    }

    @Test
    void probeOutputKeeps4096BytesAndSaysItCut() {
        ProbeOutput out = new ProbeOutput();
        out.write("a".repeat(4000).getBytes(), 0, 4000);
        out.write("b".repeat(200).getBytes(), 0, 200);
        assertThat(out.text()).hasSize(4096 + 3).endsWith("bbb...");
        ProbeOutput small = new ProbeOutput();
        small.write("ok\n".getBytes(), 0, 3);
        assertThat(small.text()).isEqualTo("ok\n");
    }
}
