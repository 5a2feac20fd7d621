package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier that puts records' data straight into a sink's memory gives the same bytes, in the same order and
 * streams, as the general parser's one call per record: whatever the records' lengths and newlines' places in a word,
 * partial records, records of another shape, a record cut by the end of the memory read, a run's room running out.
 */
class LogDataCopierTest {
    @TempDir
    Path dir;

    @Test
    void randomLogsComeOutAsTheGeneralParserReadsThem() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            String log = randomLog(random, 1 + random.nextInt(60));
            byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
            for (int room : new int[] {16, 64, 300, 1 << 16}) {
                for (boolean stdout : new boolean[] {true, false}) {
                    RunsSink copy = new RunsSink(room, stdout, true);
                    long used = LogDataCopier.copyAll(MemorySegment.ofArray(bytes), bytes.length, copy);
                    RunsSink general = new RunsSink(room, stdout, true);
                    long generalUsed = general(bytes, general);
                    assertThat(copy.out()).as("round %d, room %d: %s", round, room, log).isEqualTo(general.out());
                    assertThat(used).isEqualTo(generalUsed);
                }
            }
        }
    }

    @Test
    void aRecordCutByTheEndIsLeftForLaterAndTheOthersAreCopiedBackToBackPerStream() {
        String log = "2024-05-01T10:00:00.000000001+00:00 stdout F one\n"
                + "2024-05-01T10:00:00.000000002+00:00 stdout P tw\n"
                + "2024-05-01T10:00:00.000000003+00:00 stdout F o\n"
                + "2024-05-01T10:00:00.000000004+00:00 stderr F err\n"
                + "2024-05-01T10:00:00.000000005+00:00 stdout F in-progr";
        byte[] bytes = log.getBytes(StandardCharsets.US_ASCII);
        RunsSink sink = new RunsSink(1 << 16, true, true);
        long used = LogDataCopier.copyAll(MemorySegment.ofArray(bytes), bytes.length, sink);
        assertThat(used).isEqualTo(log.indexOf("2024-05-01T10:00:00.000000005"));
        assertThat(sink.out()).isEqualTo("[STDOUT one\ntwo\n][STDERR err\n]");
        assertThat(sink.accepted).isZero(); // no call per record
    }

    @Test
    void aSinkThatStopsEndsTheCopy() {
        byte[] bytes = ("2024-05-01T10:00:00.000000001+00:00 stdout F one\n".repeat(3)).getBytes(StandardCharsets.US_ASCII);
        RunsSink sink = new RunsSink(1 << 16, true, true) {
            @Override
            public long begin(LogEntry.Stream stream) {
                return -1;
            }
        };
        assertThat(LogDataCopier.copyAll(MemorySegment.ofArray(bytes), bytes.length, sink)).isEqualTo(-1);
    }

    @Test
    void theReaderCopiesWithoutTimesAndGivesRecordsOneByOneWhenTimesAreAsked() throws IOException {
        Path file = dir.resolve("ctr.log");
        Files.writeString(file, "2024-05-01T10:00:00.000000001+00:00 stdout F one\n"
                + "2024-05-01T10:00:01Z stderr F short-time\n"
                + "2024-05-01T10:00:02.000000001+00:00 stdout F three\n");
        LogReader log = new LogReader(file, () -> false);
        RunsSink copied = new RunsSink(1 << 16, true, true);
        log.read(LogReader.Options.ALL, false, copied, () -> {});
        assertThat(copied.out()).isEqualTo("[STDOUT one\n][STDERR short-time\n][STDOUT three\n]");
        // the record of another shape, and the last one, whose newline is in the file's last word
        assertThat(copied.accepted).isEqualTo(2);
        RunsSink timed = new RunsSink(1 << 16, true, true);
        log.read(new LogReader.Options(false, java.time.Instant.parse("2024-05-01T10:00:01Z"), null, -1), false, timed, () -> {});
        assertThat(timed.out()).isEqualTo("[STDERR short-time\n][STDOUT three\n]");
        assertThat(timed.accepted).isEqualTo(2); // every record: the times are needed
    }

    @Test
    void theVectorAndTheWordCopyFindTheSameNewlineAndCopyTheSameBytes() {
        assertThat(LogDataCopier.VECTORS).as("the tests' JVM has the Vector API, as berthd's").isTrue();
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] src = new byte[1 + random.nextInt(200)];
            for (int k = 0; k < src.length; k++) src[k] = (byte) ('a' + random.nextInt(26));
            for (int n = random.nextInt(3); n > 0; n--) src[random.nextInt(src.length)] = '\n';
            int from = random.nextInt(src.length);
            int limit = random.nextInt(300);
            MemorySegment words = MemorySegment.ofArray(new byte[300]);
            MemorySegment vectors = MemorySegment.ofArray(new byte[300]);
            MemorySegment s = MemorySegment.ofArray(src);
            long byWords = LogDataCopier.copyToNewline(s, from, src.length, words, 3, limit);
            long byVectors = LogVectorCopy.copyToNewline(s, from, src.length, vectors, 3, limit);
            long expected = LogReader.indexOfNewline(s, from, src.length);
            for (long nl : new long[] {byWords, byVectors}) {
                // either the newline, or none found before a word or vector would pass the end or the limit
                if (nl >= 0) assertThat(nl).isEqualTo(expected);
            }
            if (byWords >= 0) assertThat(words.asSlice(3, byWords - from + 1).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(s.asSlice(from, byWords - from + 1).toArray(ValueLayout.JAVA_BYTE));
            if (byVectors >= 0) assertThat(vectors.asSlice(3, byVectors - from + 1).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(s.asSlice(from, byVectors - from + 1).toArray(ValueLayout.JAVA_BYTE));
            if (expected >= 0 && expected + LogVectorCopy.WIDTH < src.length && 3 + expected - from + LogVectorCopy.WIDTH < limit) {
                assertThat(byVectors).isEqualTo(expected); // room enough: the vector copy finds it
                assertThat(byWords).isEqualTo(expected);
            }
        }
    }

    /** What the general parser makes of {@code bytes}, delivered record by record to {@code sink}'s accept. */
    private static long general(byte[] bytes, RunsSink sink) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        long start = 0;
        while (true) {
            long nl = LogReader.indexOfNewline(seg, start, bytes.length);
            if (nl < 0) return start;
            LogReader.deliver(seg, start, nl, new LogTimeParser(false), sink);
            start = nl + 1;
        }
    }

    private static String randomLog(Random random, int records) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < records; i++) {
            int shape = random.nextInt(10);
            String time = shape == 0 ? "2024-05-01T10:00:00Z" : "2024-05-01T10:00:00.%09d+00:00".formatted(random.nextInt(1_000_000_000));
            String stream = random.nextBoolean() ? "stdout" : "stderr";
            String tag = random.nextInt(4) == 0 ? "P" : "F";
            int len = random.nextInt(random.nextBoolean() ? 20 : 200);
            StringBuilder data = new StringBuilder();
            for (int k = 0; k < len; k++) data.append((char) ('a' + random.nextInt(26)));
            if (shape == 1) b.append("garbage ").append(data).append('\n');
            else b.append(time).append(' ').append(stream).append(' ').append(tag).append(' ').append(data).append('\n');
        }
        if (random.nextBoolean()) b.append("2024-05-01T10:00:00.000000001+00:00 stdout F cut-of"); // still being written
        return b.toString();
    }

    /** Collects runs as {@code [STREAM data...]}, merging what arrives for the same stream by either way. */
    static class RunsSink implements LogReader.CopySink {
        private final MemorySegment buffer;
        private final int room;
        private final boolean stdout;
        private final boolean stderr;
        private final List<String> runs = new ArrayList<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private LogEntry.Stream stream;
        private long begun = -1;
        int accepted;

        RunsSink(int room, boolean stdout, boolean stderr) {
            this.room = room;
            this.buffer = Arena.ofAuto().allocate(room + 64);
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public boolean wants(LogEntry.Stream s) {
            return s == LogEntry.Stream.STDOUT ? stdout : stderr;
        }

        @Override
        public boolean accept(LogEntry.Stream s, long nanos, MemorySegment data, long off, int len, boolean partial) {
            assertThat(begun).as("accept between runs only").isEqualTo(-1);
            accepted++;
            if (!wants(s)) return true;
            switchTo(s);
            current.writeBytes(data.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
            return true;
        }

        @Override
        public MemorySegment buffer() {
            return buffer;
        }

        @Override
        public long begin(LogEntry.Stream s) {
            assertThat(begun).as("one run at a time").isEqualTo(-1);
            switchTo(s);
            begun = 7; // anywhere in the buffer
            return begun;
        }

        @Override
        public long limit() {
            return begun + room;
        }

        @Override
        public void end(long end) {
            assertThat(end).isBetween(begun, limit());
            current.writeBytes(buffer.asSlice(begun, end - begun).toArray(ValueLayout.JAVA_BYTE));
            begun = -1;
        }

        private void switchTo(LogEntry.Stream s) {
            if (s == stream) return;
            flushRun();
            stream = s;
        }

        private void flushRun() {
            if (stream != null && current.size() > 0) runs.add("[" + stream + " " + current.toString(StandardCharsets.UTF_8) + "]");
            current.reset();
        }

        String out() {
            flushRun();
            stream = null;
            return String.join("", runs);
        }
    }
}
