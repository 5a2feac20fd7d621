package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The k8s-file reader on logs written here: tails found from the end, filters, and records across blocks. */
class LogReaderTest {
    @TempDir
    Path dir;

    @Test
    void tailCountsFullLinesFromTheEndWithTheirPartsAndIgnoresARecordInProgress() throws IOException {
        LogReader log = reader("""
                2024-05-01T10:00:00.000000001+00:00 stdout F one
                2024-05-01T10:00:01.5+00:00 stderr P tw
                2024-05-01T10:00:01.6+00:00 stderr F o
                2024-05-01T10:00:02Z stdout F three
                2024-05-01T10:00:03Z stdout P four-in-progr""");
        assertThat(texts(log, 1)).containsExactly("three\n");
        assertThat(texts(log, 2)).containsExactly("tw", "o\n", "three\n");
        assertThat(texts(log, 3)).containsExactly("one\n", "tw", "o\n", "three\n");
        assertThat(texts(log, 99)).containsExactly("one\n", "tw", "o\n", "three\n");
        assertThat(texts(log, 0)).isEmpty();
        assertThat(texts(log, -1)).containsExactly("one\n", "tw", "o\n", "three\n");
    }

    @Test
    void sinceAndUntilBoundTheTimesAndOffsetsAreApplied() throws IOException {
        LogReader log = reader("""
                2024-05-01T12:00:00+02:00 stdout F a
                2024-05-01T10:00:01.250Z stdout F b
                2024-05-01T08:00:02-02:00 stdout F c
                """);
        List<Instant> times = new ArrayList<>();
        log.read(LogReader.Options.ALL, e -> times.add(e.time()));
        assertThat(times).containsExactly(Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T10:00:01.25Z"),
                Instant.parse("2024-05-01T10:00:02Z"));
        List<String> seen = new ArrayList<>();
        log.read(new LogReader.Options(false, Instant.parse("2024-05-01T10:00:01Z"), Instant.parse("2024-05-01T10:00:02Z"), -1),
                e -> seen.add(new String(e.data(), StandardCharsets.UTF_8)));
        assertThat(seen).containsExactly("b\n");
    }

    @Test
    void aLogOfManyBlocksIsReadWholeAndItsTailFromTheEnd() throws IOException {
        StringBuilder text = new StringBuilder();
        int records = 40_000; // ~2.4 MB: many 256 KiB blocks, records straddling their edges
        for (int i = 0; i < records; i++) {
            text.append("2024-05-01T10:%02d:%02d.%09d+00:00 stdout F line-%d%n".formatted(i / 3600 % 60, i / 60 % 60, i, i));
        }
        LogReader log = reader(text.toString());
        int[] count = {0};
        int[] caughtUp = {0};
        log.read(LogReader.Options.ALL, e -> new String(e.data(), StandardCharsets.UTF_8).equals("line-" + count[0]++ + "\n"),
                () -> caughtUp[0]++);
        assertThat(count[0]).isEqualTo(records);
        assertThat(caughtUp[0]).isEqualTo(1);
        assertThat(texts(log, 2)).containsExactly("line-39998\n", "line-39999\n");
    }

    @Test
    void withoutTimesTheRecordsAreTheSameAndTheirTimesZero() throws IOException {
        LogReader log = reader("""
                2024-05-01T10:00:00.000000001+00:00 stdout F one
                2024-05-01T10:00:01.5+00:00 stderr P tw
                2024-05-01T10:00:01.6+00:00 stderr F o
                """);
        List<String> seen = new ArrayList<>();
        log.read(LogReader.Options.ALL, false, (stream, nanos, data, off, len, partial) ->
                seen.add(stream + " " + nanos + " " + new String(data.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8) + partial), () -> {});
        assertThat(seen).containsExactly("STDOUT 0 one\nfalse", "STDERR 0 twtrue", "STDERR 0 o\nfalse");
    }

    @Test
    void theNewlineSearchFindsTheFirstNewlineAtEveryOffsetOfAWord() {
        for (int at = 0; at < 24; at++) {
            byte[] b = "x".repeat(24).getBytes(StandardCharsets.US_ASCII);
            b[at] = '\n';
            if (at + 3 < b.length) b[at + 3] = '\n';
            assertThat(LogReader.indexOfNewline(MemorySegment.ofArray(b), 0, b.length)).isEqualTo(at);
            assertThat(LogReader.indexOfNewline(MemorySegment.ofArray(b), 0, at)).isEqualTo(-1);
        }
        assertThat(LogReader.indexOfNewline(MemorySegment.ofArray(new byte[] {'\n', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 1, 11)).isEqualTo(10);
    }

    @Test
    void malformedRecordsAreSkipped() throws IOException {
        LogReader log = reader("""
                garbage
                2024-13-01T10:00:00Z stdout F bad-month
                2024-05-01T10:00:00 stdout F no-offset
                2024-05-01T10:00:00Z stdout F good
                """);
        assertThat(texts(log, -1)).containsExactly("good\n");
    }

    @Test
    void rotatedFilesAreReadOldestFirstCompressedOrNotAndATailReachesIntoThem() throws IOException {
        Path current = dir.resolve("ctr.log");
        gzip(dir.resolve("ctr.log.3.gz"), record("a") + record("b"));
        Files.writeString(dir.resolve("ctr.log.2"), record("c"));
        gzip(dir.resolve("ctr.log.1.gz"), record("d") + partial("e1") + record("e2"));
        Files.writeString(dir.resolve("ctr.log.1"), "a compression's leftover: its .gz twin wins\n");
        Files.writeString(dir.resolve("ctr.log.1.gz.tmp"), "never read");
        Files.writeString(current, record("f") + record("g"));
        LogReader log = new LogReader(current, () -> false);
        assertThat(texts(log, -1)).containsExactly("a\n", "b\n", "c\n", "d\n", "e1", "e2\n", "f\n", "g\n");
        assertThat(texts(log, 1)).containsExactly("g\n");
        assertThat(texts(log, 2)).containsExactly("f\n", "g\n");
        assertThat(texts(log, 3)).containsExactly("e1", "e2\n", "f\n", "g\n");
        assertThat(texts(log, 4)).containsExactly("d\n", "e1", "e2\n", "f\n", "g\n");
        assertThat(texts(log, 6)).containsExactly("b\n", "c\n", "d\n", "e1", "e2\n", "f\n", "g\n");
        assertThat(texts(log, 50)).hasSize(8);
        assertThat(texts(log, 0)).isEmpty();
        Files.delete(current); // between a rotation's rename and conmon's reopen
        assertThat(texts(log, 2)).containsExactly("d\n", "e1", "e2\n");
    }

    @Test
    void followingGoesOnInTheNewFileAfterARotationWithoutLosingTheOldOnesEnd() throws Exception {
        Path current = dir.resolve("ctr.log");
        Files.writeString(current, record("one"));
        AtomicBoolean running = new AtomicBoolean(true);
        LogReader log = new LogReader(current, running::get);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofVirtual().start(() -> log.read(new LogReader.Options(true, null, null, -1),
                e -> seen.add(new String(e.data(), StandardCharsets.UTF_8))));
        await(seen, 1);
        // conmon's side of a rotation: the file is renamed, written to under its new name, then a new one is made
        Files.move(current, dir.resolve("ctr.log.1"));
        Files.writeString(dir.resolve("ctr.log.1"), record("two"), java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(250);
        Files.writeString(current, record("three"));
        await(seen, 3);
        running.set(false);
        follower.join(5000);
        assertThat(seen).containsExactly("one\n", "two\n", "three\n");
    }

    /**
     * A follower that has caught up is woken by the next line, not by its next look: it used to look every 100 ms,
     * and each line waited for that. Its looks are an hour apart here; the end of the container is seen at the next
     * change in the directory.
     */
    @Test
    void aFollowerIsWokenByTheNextLineNotByItsNextLook() throws Exception {
        Path current = dir.resolve("ctr.log");
        Files.writeString(current, record("one"));
        AtomicBoolean running = new AtomicBoolean(true);
        LogReader log = new LogReader(current, running::get).lookingEvery(java.time.Duration.ofHours(1));
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofVirtual().start(() -> log.read(new LogReader.Options(true, null, null, -1),
                e -> seen.add(new String(e.data(), StandardCharsets.UTF_8))));
        await(seen, 1);
        Thread.sleep(100); // asleep by now
        Files.writeString(current, record("two"), java.nio.file.StandardOpenOption.APPEND);
        await(seen, 2);
        running.set(false);
        Files.writeString(dir.resolve("container.json"), "{}"); // as the state saved at the container's end
        follower.join(5000);
        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).containsExactly("one\n", "two\n");
    }

    @Test
    void aTailReadsBackwardsFromTheEndInBoundedReads() throws IOException {
        Path file = dir.resolve("big.log");
        String block = record("x".repeat(70)).repeat(10_000); // ~1.2 MB
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 40; i++) out.write(block.getBytes(StandardCharsets.US_ASCII)); // ~46 MB
        }
        try (CountingChannel ch = new CountingChannel(java.nio.channels.FileChannel.open(file))) {
            LogReader.Tail t = LogReader.tailStart(ch, 10);
            assertThat(t.lines()).isEqualTo(10);
            assertThat(ch.size() - t.offset()).isEqualTo(10L * record("x".repeat(70)).length());
            // one block from the end and a record's head per line: not the 46 MB before them
            assertThat(ch.bytesRead).isLessThan(512 * 1024);
        }
    }

    /** A file channel that counts what is read through it. */
    private static final class CountingChannel extends java.nio.channels.FileChannel {
        private final java.nio.channels.FileChannel ch;
        long bytesRead;

        CountingChannel(java.nio.channels.FileChannel ch) {
            this.ch = ch;
        }

        private int count(int n) {
            if (n > 0) bytesRead += n;
            return n;
        }

        @Override public int read(java.nio.ByteBuffer dst) throws IOException { return count(ch.read(dst)); }
        @Override public int read(java.nio.ByteBuffer dst, long position) throws IOException { return count(ch.read(dst, position)); }
        @Override public long read(java.nio.ByteBuffer[] dsts, int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public int write(java.nio.ByteBuffer src) { throw new UnsupportedOperationException(); }
        @Override public long write(java.nio.ByteBuffer[] srcs, int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public int write(java.nio.ByteBuffer src, long position) { throw new UnsupportedOperationException(); }
        @Override public long position() throws IOException { return ch.position(); }
        @Override public java.nio.channels.FileChannel position(long p) throws IOException { ch.position(p); return this; }
        @Override public long size() throws IOException { return ch.size(); }
        @Override public java.nio.channels.FileChannel truncate(long size) { throw new UnsupportedOperationException(); }
        @Override public void force(boolean metaData) { }
        @Override public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) { throw new UnsupportedOperationException(); }
        @Override public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) { throw new UnsupportedOperationException(); }
        @Override public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException(); }
        @Override public java.nio.channels.FileLock lock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override protected void implCloseChannel() throws IOException { ch.close(); }
    }

    private static void await(List<String> seen, int n) throws InterruptedException {
        for (int i = 0; i < 100 && seen.size() < n; i++) Thread.sleep(50);
    }

    private static String record(String text) {
        return "2024-05-01T10:00:00.000000001+00:00 stdout F " + text + "\n";
    }

    private static String partial(String text) {
        return "2024-05-01T10:00:00.000000001+00:00 stdout P " + text + "\n";
    }

    private static void gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private LogReader reader(String content) throws IOException {
        Path file = dir.resolve("ctr.log");
        Files.writeString(file, content);
        return new LogReader(file, () -> false);
    }

    private static List<String> texts(LogReader log, int tail) {
        List<String> out = new ArrayList<>();
        log.read(new LogReader.Options(false, null, null, tail), e -> out.add(new String(e.data(), StandardCharsets.UTF_8)));
        return out;
    }
}
