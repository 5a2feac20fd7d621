package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI call makes no lookup that misses on the class path: each such lookup walks every jar of it (opening
 * them, reading their central directories), which cost a fifth of an {@code exec}'s CPU. Seen from outside, in
 * a JVM of its own: no class is looked for and not found, and no service is looked for on the class path.
 */
class NoClassPathLookupTest {

    @Test
    void aCallThatConnectsAndExitsLooksUpNothingOnTheClassPath(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("jvm.log");
        // a socket that does not exist: the call opens a Unix socket channel, fails to connect, exits with 1
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-Xlog:class+load=info,exceptions=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-H", "unix://" + dir.resolve("missing.sock"), "ps");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("missing.sock");

        String jvm = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(jvm).as("the socket channel was opened").contains("sun.nio.ch.UnixDomainSockets");
        assertThat(jvm).as("a class looked for and not found").doesNotContain("Exception <a 'java/lang/ClassNotFoundException'");
        assertThat(jvm).as("a service looked for on the class path")
                .doesNotContain("java.util.ServiceLoader$LazyClassPathLookupIterator");
    }
}
