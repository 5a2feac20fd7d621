package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HumanDurationTest {
    private static String of(Duration d) {
        return HumanDuration.of(d);
    }

    @Test
    void seconds() {
        assertThat(of(Duration.ZERO)).isEqualTo("Less than a second");
        assertThat(of(Duration.ofMillis(999))).isEqualTo("Less than a second");
        assertThat(of(Duration.ofSeconds(-30))).isEqualTo("Less than a second");
        assertThat(of(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(of(Duration.ofSeconds(2))).isEqualTo("2 seconds");
        assertThat(of(Duration.ofSeconds(59))).isEqualTo("59 seconds");
    }

    @Test
    void minutes() {
        assertThat(of(Duration.ofSeconds(60))).isEqualTo("About a minute");
        assertThat(of(Duration.ofSeconds(119))).isEqualTo("About a minute");
        assertThat(of(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(of(Duration.ofMinutes(59))).isEqualTo("59 minutes");
    }

    @Test
    void hoursRoundToTheNearest() {
        assertThat(of(Duration.ofMinutes(60))).isEqualTo("About an hour");
        assertThat(of(Duration.ofMinutes(89))).isEqualTo("About an hour");
        assertThat(of(Duration.ofMinutes(90))).isEqualTo("2 hours");
        assertThat(of(Duration.ofHours(47))).isEqualTo("47 hours");
    }

    @Test
    void daysWeeksMonthsYears() {
        assertThat(of(Duration.ofHours(48))).isEqualTo("2 days");
        assertThat(of(Duration.ofDays(13))).isEqualTo("13 days");
        assertThat(of(Duration.ofDays(14))).isEqualTo("2 weeks");
        assertThat(of(Duration.ofDays(59))).isEqualTo("8 weeks");
        assertThat(of(Duration.ofDays(60))).isEqualTo("2 months");
        assertThat(of(Duration.ofDays(729))).isEqualTo("24 months");
        assertThat(of(Duration.ofDays(730))).isEqualTo("2 years");
    }
}
