package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void onlyGlobalOptionsWithVersionAskOnlyForTheVersion() {
        assertThat(Main.asksOnlyForVersion(new String[] {"--version"})).isTrue();
        assertThat(Main.asksOnlyForVersion(new String[] {"-D", "-v"})).isTrue();
        assertThat(Main.asksOnlyForVersion(new String[] {"-H", "unix:///x.sock", "-v"})).isTrue();
        assertThat(Main.asksOnlyForVersion(new String[] {})).isFalse();
        assertThat(Main.asksOnlyForVersion(new String[] {"-H", "-v"})).isFalse();
        assertThat(Main.asksOnlyForVersion(new String[] {"-v", "--help"})).isFalse();
        assertThat(Main.asksOnlyForVersion(new String[] {"-v", "ps"})).isFalse();
        assertThat(Main.asksOnlyForVersion(new String[] {"ps", "-v"})).isFalse();
    }

    @Test
    void versionAndUsageFromTheRoot() {
        assertThat(run("--version")).isEqualTo("berth version 0.1.0\n");
        assertThat(run("-v", "--help")).contains("Usage: berth", "Commands:", "  run ", "  container ");
        assertThat(run()).contains("Usage: berth", "Commands:", "  ps ");
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), stream, stream, fd -> false);
        assertThat(Main.run(args, io, Map.of())).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
