package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache the JVM refused is removed with one line; one it used, or none given, is left alone in silence. */
class AotCheckTest {

    @TempDir
    Path tmp;

    @Test
    void aRefusedCacheIsRemovedAndSaidOnce() throws Exception {
        Path cache = Files.writeString(tmp.resolve("berth-cli.aot"), "x");
        assertThat(check(cache.toString(), "mixed mode")).contains("could not use the CLI's AOT cache " + cache)
                .contains("the next call trains a new one");
        assertThat(cache).doesNotExist();
        assertThat(check(cache.toString(), "mixed mode")).isEmpty(); // a second call that raced the first says nothing
    }

    @Test
    void aUsedCacheOrNoneIsLeftAloneSilently() throws Exception {
        Path cache = Files.writeString(tmp.resolve("berth-cli.aot"), "x");
        assertThat(check(cache.toString(), "mixed mode, sharing")).isEmpty();
        assertThat(check(null, "mixed mode")).isEmpty(); // run without the launcher, or without a cache
        assertThat(cache).exists();
    }

    private static String check(String cache, String vmInfo) {
        var err = new ByteArrayOutputStream();
        AotCheck.check(cache, vmInfo, new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
