package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conmon's spool into Docker's json file, with conmon played by the test: order, resume after a kill, rotation. */
class JsonLogCopierTest {
    @TempDir
    Path root;

    private ContainerPaths paths() throws IOException {
        return paths("abc");
    }

    private ContainerPaths paths(String id) throws IOException {
        ContainerPaths p = new ContainerPaths(root.resolve("data/" + id), root.resolve("run/" + id));
        Files.createDirectories(p.dir());
        Files.createDirectories(p.runDir());
        Files.createDirectories(p.bundleDir());
        return p;
    }

    private static String record(int i, String stream, char tag, String data) {
        return String.format("2026-12-07T20:55:%02d.%09d+00:00 %s %c %s\n", i / 1000 % 60, i % 1000 * 1000, stream, tag, data);
    }

    private static void spool(ContainerPaths p, String s) throws IOException {
        Files.writeString(p.spoolFile(), s, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> logs(ContainerPaths p, LogFiles files) {
        List<String> out = new ArrayList<>();
        new LogReader(files, LogFormat.JSON_FILE, () -> false).read(LogReader.Options.ALL,
                e -> out.add(new String(e.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void copiesRecordsInOrderAsDockersLines() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(1, "stdout", 'F', "hello") + record(2, "stderr", 'P', "par") + record(3, "stderr", 'F', "tial"));
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        spool(p, record(4, "stdout", 'F', "<more>"));
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        assertThat(Files.readAllLines(p.jsonLogFile())).containsExactly(
                "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T20:55:00.000001Z\"}",
                "{\"log\":\"par\",\"stream\":\"stderr\",\"time\":\"2026-12-07T20:55:00.000002Z\"}",
                "{\"log\":\"tial\\n\",\"stream\":\"stderr\",\"time\":\"2026-12-07T20:55:00.000003Z\"}",
                "{\"log\":\"\\u003cmore\\u003e\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T20:55:00.000004Z\"}");
        assertThat(logs(p, files)).containsExactly("hello\n", "par", "tial\n", "<more>\n");
    }

    /**
     * A copier that has caught up sleeps until conmon writes again: it used to look at the spool every 20 ms, and 50
     * idle containers cost berthd about a tenth of a core. Its looks are an hour apart here, so only the watch can
     * have woken it; and the watch goes with the copier.
     */
    @Test
    void anIdleCopierIsWokenByConmonsNextWriteAndItsWatchGoesWithIt() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(1, "stdout", 'F', "first"));
        LogDirectoryWatcher watcher = LogDirectoryWatcher.open();
        Duration hour = Duration.ofHours(1);
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false, watcher, hour, hour);
        c.start();
        try {
            assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
            awaitTrue(() -> watcher.armed() == 1);
            spool(p, record(2, "stdout", 'F', "second"));
            awaitTrue(() -> logs(p, files).size() == 2);
            assertThat(logs(p, files)).containsExactly("first\n", "second\n");
            awaitTrue(() -> watcher.armed() == 1); // armed again once caught up
        } finally {
            c.stop();
        }
        assertThat(watcher.armed()).isZero();
    }

    /** With berthd's own intervals: a copier with nothing to copy makes no pass in half a second (it made ~25). */
    @Test
    void aCaughtUpCopierMakesNoPassesWhileNothingIsWritten() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(1, "stdout", 'F', "first"));
        LogDirectoryWatcher watcher = LogDirectoryWatcher.open();
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false, watcher,
                JsonLogCopier.IDLE, JsonLogCopier.WATCHED_IDLE);
        c.start();
        try {
            assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
            awaitTrue(() -> watcher.armed() == 1);
            Thread.sleep(200); // the pass after arming
            long passes = c.passes();
            Thread.sleep(500);
            assertThat(c.passes() - passes).isLessThanOrEqualTo(1);
        } finally {
            c.stop();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * A drain (every exit of a json-file container waits for one) runs its passes back to back: it used to wake
     * the idle copier once and then wait out the idle sleep before the second pass.
     */
    @Test
    void aDrainDoesNotWaitForTheIdleSleep() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(1, "stdout", 'F', "hello"));
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false, Duration.ofSeconds(30));
        c.start();
        try {
            for (int i = 0; i < 3; i++) {
                // the common case at an exit: the copier has copied everything already and sleeps
                if (i == 1) spool(p, record(2, "stdout", 'F', "line"));
                long t0 = System.nanoTime();
                assertThat(c.drain(Duration.ofSeconds(20))).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            }
        } finally {
            c.stop();
        }
        assertThat(logs(p, files)).containsExactly("hello\n", "line\n");
    }

    @Test
    void copiersWithNothingToCopyHoldNoConversionBuffer() throws Exception {
        // each buffer is ~1.4 MB of native memory: 50 running containers must not hold 50 of them
        List<JsonLogCopier> copiers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ContainerPaths p = paths("c" + i);
                spool(p, record(i, "stdout", 'F', "line" + i));
                JsonLogCopier c = new JsonLogCopier(p, new LogFiles(p.jsonLogFile(), new LogFiles.Lock()),
                        LogSettings.JSON_FILE, () -> false);
                copiers.add(c);
                c.start();
            }
            for (JsonLogCopier c : copiers) assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(JsonLogCopier.BATCHES.allocated()).isLessThanOrEqualTo(LogBatches.SPARES);
            for (int i = 0; i < 20; i++) {
                assertThat(Files.readString(paths("c" + i).jsonLogFile())).contains("\"log\":\"line" + i + "\\n\"");
            }
        } finally {
            copiers.forEach(JsonLogCopier::stop);
        }
    }

    @Test
    void aKillBetweenTheWriteAndTheCheckpointNeitherLosesNorDoublesAndATornLineIsCut() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) s.append(record(i, "stdout", 'F', "line" + i));
        spool(p, s.toString());
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        byte[] checkpoint = Files.readAllBytes(p.spoolCheckpoint());
        List<String> lines = Files.readAllLines(p.jsonLogFile());
        // more records spooled, copied, and berthd killed before their checkpoint: then one more half written
        StringBuilder more = new StringBuilder();
        for (int i = 10; i < 15; i++) more.append(record(i, "stdout", 'F', "line" + i));
        spool(p, more.toString());
        c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        Files.write(p.spoolCheckpoint(), checkpoint);
        String full = Files.readString(p.jsonLogFile());
        Files.writeString(p.jsonLogFile(), full.substring(0, full.length() - 20)); // the last line torn
        for (int i = 15; i < 20; i++) spool(p, record(i, "stdout", 'F', "line" + i));
        c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) expected.add("line" + i + "\n");
        assertThat(logs(p, files)).containsExactlyElementsOf(expected);
        assertThat(lines).hasSize(10);
    }

    @Test
    void aResumeCountsOffOnlyTheRecordsThatMadeALine() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(0, "stdout", 'F', "line0"));
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        byte[] checkpoint = Files.readAllBytes(p.spoolCheckpoint());
        // a record of no shape of conmon's among the next ones: it makes no line
        spool(p, record(1, "stdout", 'F', "line1") + "not a record of conmon's at all, but long enough to be read as one\n"
                + record(2, "stdout", 'F', "line2"));
        c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        Files.write(p.spoolCheckpoint(), checkpoint); // killed before the checkpoint of those two lines
        c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        assertThat(logs(p, files)).containsExactly("line0\n", "line1\n", "line2\n");
    }

    @Test
    void aSpoolWindowWithNoNewlineIsSkippedNotReadForever() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        spool(p, record(0, "stdout", 'F', "before") + "x".repeat(9 * 1024 * 1024) + "\n" + record(1, "stdout", 'F', "after"));
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        assertThat(logs(p, files)).containsExactly("before\n", "after\n");
    }

    @Test
    void theSpoolIsRotatedThroughConmonsReopenAndReadToItsEndFirst() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        Files.createFile(p.ctlFifo()); // conmon's control FIFO, a plain file here: the test reads what was asked
        int n = 0;
        StringBuilder sb = new StringBuilder();
        while (sb.length() < JsonLogCopier.SPOOL_ROTATE + 4096) sb.append(record(n, "stdout", 'F', "line" + n++));
        spool(p, sb.toString());
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> true);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(20))).isTrue();
        Path old = p.spoolFile().resolveSibling("log.spool.1");
        assertThat(old).exists();
        assertThat(p.spoolFile()).doesNotExist();
        assertThat(Files.readString(p.ctlFifo())).isEqualTo("2 0 0\n");
        Files.writeString(old, record(n, "stdout", 'F', "line" + n++), StandardOpenOption.APPEND); // before conmon reopened
        spool(p, record(n, "stdout", 'F', "line" + n++)); // conmon's new spool
        assertThat(c.drain(Duration.ofSeconds(20))).isTrue();
        c.stop();
        assertThat(old).doesNotExist();
        List<String> read = logs(p, files);
        assertThat(read).hasSize(n);
        for (int i = 0; i < n; i++) assertThat(read.get(i)).isEqualTo("line" + i + "\n");
    }

    @Test
    void aKillBetweenTheSpoolsRenameAndTheReopenRequestIsFinishedByTheNextCopier() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        Files.createFile(p.ctlFifo()); // conmon's control FIFO, a plain file here: the test reads what was asked
        Path old = p.spoolFile().resolveSibling("log.spool.1");
        // berthd renamed the spool and was killed before it asked conmon to reopen: conmon keeps writing .1
        Files.writeString(old, record(0, "stdout", 'F', "line0"));
        long ino = (Long) Files.getAttribute(old, "unix:ino");
        Files.write(p.spoolCheckpoint(), java.nio.ByteBuffer.allocate(24).putLong(ino).putLong(0).putLong(0).array());
        JsonLogCopier c = new JsonLogCopier(p, files, LogSettings.JSON_FILE, () -> true);
        c.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.size(p.ctlFifo()) == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(Files.readString(p.ctlFifo())).as("the reopen asked for once").isEqualTo("2 0 0\n");
        Files.writeString(old, record(1, "stdout", 'F', "line1"), StandardOpenOption.APPEND);
        spool(p, record(2, "stdout", 'F', "line2")); // conmon reopened
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        assertThat(old).doesNotExist();
        assertThat(Files.readString(p.ctlFifo())).isEqualTo("2 0 0\n");
        assertThat(logs(p, files)).containsExactly("line0\n", "line1\n", "line2\n");
    }

    @Test
    void rotatesAtMaxSizeKeepsMaxFileAndCompresses() throws Exception {
        ContainerPaths p = paths();
        LogFiles files = new LogFiles(p.jsonLogFile(), new LogFiles.Lock());
        LogSettings s = LogSettings.of("json-file", Map.of("max-size", "1k", "max-file", "3", "compress", "true"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.append(record(i, "stdout", 'F', "line" + i));
        spool(p, sb.toString());
        JsonLogCopier c = new JsonLogCopier(p, files, s, () -> false);
        c.start();
        assertThat(c.drain(Duration.ofSeconds(10))).isTrue();
        c.stop();
        try (Stream<Path> l = Files.list(p.dir())) {
            assertThat(l.map(x -> x.getFileName().toString()).filter(n -> n.contains("json")).sorted())
                    .containsExactly("abc-json.log", "abc-json.log.1.gz", "abc-json.log.2.gz");
        }
        assertThat(Files.size(p.jsonLogFile())).isLessThan(1000 + 100);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p.dir().resolve("abc-json.log.1.gz")))) {
            String rotated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rotated.length()).isBetween(1000, 1100);
            assertThat(rotated.lines()).allMatch(line -> line.startsWith("{\"log\":\"line"));
        }
        List<String> read = logs(p, files);
        assertThat(read.getLast()).isEqualTo("line99\n");
        assertThat(read.size()).isBetween(20, 40); // the oldest file went
        for (int k = 1; k < read.size(); k++) {
            assertThat(Integer.parseInt(read.get(k).trim().substring(4))).isEqualTo(Integer.parseInt(read.get(k - 1).trim().substring(4)) + 1);
        }
    }
}
