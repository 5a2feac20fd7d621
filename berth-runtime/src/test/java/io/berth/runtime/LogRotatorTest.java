package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthd's side of a rotation, with conmon played by the test: what each check renames, asks for and compresses. */
class LogRotatorTest {
    @TempDir
    Path dir;

    @Test
    void aFullFileIsRenamedAConmonReopenIsAskedForAndTheOldOneCompressedOnceConmonLetGo() throws IOException {
        LogFiles files = new LogFiles(dir.resolve("ctr.log"), new LogFiles.Lock());
        Path ctl = dir.resolve("ctl");
        Files.createFile(ctl);
        LogSettings s = LogSettings.of("json-file", Map.of("max-size", "10", "max-file", "3", "compress", "true"));
        Files.writeString(files.current(), "first rotation\n");
        LogRotator.check(files, s, ctl);
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log.1");
        assertThat(Files.readString(ctl)).isEqualTo("2 0 0\n");
        LogRotator.check(files, s, ctl); // conmon has not reopened yet: nothing to do, and no second reopen
        assertThat(Files.readString(ctl)).isEqualTo("2 0 0\n");
        Files.writeString(files.current(), "second\n"); // conmon reopened
        LogRotator.check(files, s, ctl);
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log", "ctr.log.1.gz");
        assertThat(gunzip(dir.resolve("ctr.log.1.gz"))).isEqualTo("first rotation\n");
        Files.writeString(files.current(), "second rotation\n");
        LogRotator.check(files, s, ctl);
        Files.writeString(files.current(), "third\n");
        LogRotator.check(files, s, ctl);
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log", "ctr.log.1.gz", "ctr.log.2.gz");
        Files.writeString(files.current(), "third rotation\n");
        LogRotator.check(files, s, ctl);
        Files.writeString(files.current(), "fourth\n");
        LogRotator.check(files, s, ctl);
        // max-file 3: the current file and two rotated; the oldest went
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log", "ctr.log.1.gz", "ctr.log.2.gz");
        assertThat(gunzip(dir.resolve("ctr.log.2.gz"))).isEqualTo("second rotation\n");
        assertThat(gunzip(dir.resolve("ctr.log.1.gz"))).isEqualTo("third rotation\n");
    }

    @Test
    void withOneFileTheOldContentGoesOnceConmonReopened() throws IOException {
        LogFiles files = new LogFiles(dir.resolve("ctr.log"), new LogFiles.Lock());
        Path ctl = dir.resolve("ctl");
        Files.createFile(ctl);
        LogSettings s = LogSettings.of("k8s-file", Map.of("max-size", "5"));
        Files.writeString(files.current(), "0123456789\n");
        LogRotator.check(files, s, ctl);
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log.1");
        Files.writeString(files.current(), "new\n");
        LogRotator.check(files, s, ctl);
        assertThat(names()).containsExactlyInAnyOrder("ctl", "ctr.log");
    }

    @Test
    void aCrashInTheMiddleOfACompressionIsFinishedByTheNextCheck() throws IOException {
        LogFiles files = new LogFiles(dir.resolve("ctr.log"), new LogFiles.Lock());
        LogSettings s = LogSettings.of("local", Map.of("max-size", "1k"));
        Files.writeString(files.current(), "small\n");
        Files.writeString(dir.resolve("ctr.log.1"), "rotated, compression not begun\n");
        Files.writeString(dir.resolve("ctr.log.2"), "rotated, compression interrupted\n");
        Files.writeString(dir.resolve("ctr.log.2.gz.tmp"), "half a gzip");
        LogRotator.check(files, s, dir.resolve("no-ctl"));
        assertThat(names()).containsExactlyInAnyOrder("ctr.log", "ctr.log.1.gz", "ctr.log.2.gz"); // the half gzip was rewritten
        assertThat(gunzip(dir.resolve("ctr.log.2.gz"))).isEqualTo("rotated, compression interrupted\n");
        assertThat(gunzip(dir.resolve("ctr.log.1.gz"))).isEqualTo("rotated, compression not begun\n");
    }

    private String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
