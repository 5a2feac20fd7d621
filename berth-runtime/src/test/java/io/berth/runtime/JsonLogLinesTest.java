package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's json-file lines, written and read back: escapes, times, partial records, and lines of other shapes. */
class JsonLogLinesTest {
    @TempDir
    Path dir;

    private static String encode(byte[] data, boolean stderr, long nanos) {
        JsonLogLines.TimeFormat tf = new JsonLogLines.TimeFormat();
        int n = tf.format(nanos);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JsonLogLines.maxLength(data.length));
            MemorySegment suffix = MemorySegment.ofArray(new byte[JsonLogLines.MAX_SUFFIX]);
            int suffixLength = JsonLogLines.suffix(stderr, tf.out, n, suffix);
            long end = JsonLogLines.encode(MemorySegment.ofArray(data), 0, data.length, suffix, suffixLength, out, 0);
            return new String(out.asSlice(0, end).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    private static long nanos(String t) {
        Instant i = Instant.parse(t);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void writesDockersLine() {
        assertThat(encode("hello\n".getBytes(), false, nanos("2026-12-07T20:55:00.123456789Z")))
                .isEqualTo("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T20:55:00.123456789Z\"}\n");
        // Go's RFC3339Nano: trailing zeros of the fraction dropped, none at all for a whole second
        assertThat(encode("x".getBytes(), true, nanos("2026-12-07T20:55:00.120Z")))
                .isEqualTo("{\"log\":\"x\",\"stream\":\"stderr\",\"time\":\"2026-12-07T20:55:00.12Z\"}\n");
        assertThat(encode("x".getBytes(), true, nanos("2026-12-07T20:55:00Z"))).endsWith("\"time\":\"2026-12-07T20:55:00Z\"}\n");
    }

    @Test
    void escapesAsDockerDoes() {
        byte[] data = {'a', '"', '\\', '<', '>', '&', '\t', '\r', 0x01, 0x7f, (byte) 0xff, (byte) 0xc3, (byte) 0xa9,
                (byte) 0xe2, (byte) 0x80, (byte) 0xa8, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '\n'};
        String line = encode(data, false, 0);
        assertThat(line).startsWith("{\"log\":\"a\\\"\\\\\\u003c\\u003e\\u0026\\u0009\\r\\u0001\u007f\\ufffdé\\u2028😀\\n\",");
    }

    @Test
    void findsTheFirstSpecialByteInAnyPositionOfAWord() {
        for (int pos = 0; pos < 20; pos++) {
            byte[] b = "abcdefghijklmnopqrstuvwxyz".getBytes();
            b[pos] = '<';
            assertThat(JsonLogLines.firstSpecial(MemorySegment.ofArray(b), 0, b.length)).isEqualTo(pos);
        }
    }

    @Test
    void readsBackWhatItWroteAndTailsFullLines() throws Exception {
        Path file = dir.resolve("c-json.log");
        StringBuilder s = new StringBuilder();
        s.append(encode("one\n".getBytes(), false, nanos("2026-12-07T20:55:01Z")));
        s.append(encode("par".getBytes(), false, nanos("2026-12-07T20:55:02Z")));
        s.append(encode("tial \"q\" \\n\n".getBytes(), false, nanos("2026-12-07T20:55:02.5Z")));
        s.append(encode("err\n".getBytes(), true, nanos("2026-12-07T20:55:03Z")));
        // another writer's shape: other key order and attrs
        s.append("{\"time\":\"2026-12-07T20:55:04.000000001Z\",\"attrs\":{\"a\":\"}\"},\"stream\":\"stdout\",\"log\":\"other\\u00e9\\n\"}\n");
        Files.writeString(file, s);
        LogReader r = new LogReader(file, LogFormat.JSON_FILE, () -> false);
        List<LogEntry> all = r.readAll();
        assertThat(all).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                .containsExactly("one\n", "par", "tial \"q\" \\n\n", "err\n", "otheré\n");
        assertThat(all).extracting(LogEntry::partial).containsExactly(false, true, false, false, false);
        assertThat(all.get(3).stream()).isEqualTo(LogEntry.Stream.STDERR);
        assertThat(all.get(2).time()).isEqualTo(Instant.parse("2026-12-07T20:55:02.5Z"));
        assertThat(all.get(4).time()).isEqualTo(Instant.parse("2026-12-07T20:55:04.000000001Z"));

        List<String> tail = new ArrayList<>();
        r.read(new LogReader.Options(false, null, null, 3), e -> tail.add(new String(e.data(), StandardCharsets.UTF_8)));
        assertThat(tail).containsExactly("par", "tial \"q\" \\n\n", "err\n", "otheré\n");
        List<String> since = new ArrayList<>();
        r.read(new LogReader.Options(false, Instant.parse("2026-12-07T20:55:02.6Z"), Instant.parse("2026-12-07T20:55:04Z"), -1),
                e -> since.add(new String(e.data(), StandardCharsets.UTF_8)));
        assertThat(since).containsExactly("err\n");
    }

    @Test
    void aJsonFileLogBegunAsConmonsCtrLogKeepsItsFormat() throws Exception {
        ContainerPaths p = new ContainerPaths(dir.resolve("c1"), dir.resolve("run"));
        Files.createDirectories(p.dir());
        assertThat(LogFormat.of(LogSettings.JSON_FILE, p)).isEqualTo(LogFormat.JSON_FILE);
        assertThat(LogFormat.of(LogSettings.of("local", java.util.Map.of()), p)).isEqualTo(LogFormat.K8S_FILE);
        assertThat(LogFormat.of(LogSettings.K8S_FILE, p)).isEqualTo(LogFormat.K8S_FILE);
        Files.writeString(p.logFile(), "2024-05-01T10:00:00.123456789+00:00 stdout F before\n");
        assertThat(LogFormat.of(LogSettings.JSON_FILE, p)).isEqualTo(LogFormat.K8S_FILE);
        assertThat(new LogReader(p.logFile(), LogFormat.of(LogSettings.JSON_FILE, p), () -> false).readAll())
                .extracting(e -> new String(e.data(), StandardCharsets.UTF_8)).containsExactly("before\n");
    }

    @Test
    void theCopyIntoRunsGivesWhatRecordByRecordReadingGives() {
        java.util.Random random = new java.util.Random(11);
        String alphabet = "abc xyz\"\\/<>&\t\r\u0001é€😀\u2028";
        for (int round = 0; round < 300; round++) {
            StringBuilder file = new StringBuilder();
            int records = 1 + random.nextInt(30);
            for (int r = 0; r < records; r++) {
                StringBuilder data = new StringBuilder();
                String chars = random.nextBoolean() ? alphabet : "abcdefghij0123456789 "; // plain text: the fast path
                for (int k = random.nextInt(90); k > 0; k--) data.append(chars.charAt(random.nextInt(chars.length())));
                if (random.nextInt(4) > 0) data.append('\n');
                byte[] utf8 = data.toString().getBytes(StandardCharsets.UTF_8);
                if (random.nextInt(8) == 0 && utf8.length > 0) utf8[random.nextInt(utf8.length)] = (byte) 0xff; // not UTF-8
                file.append(encode(utf8, random.nextBoolean(), 1_000_000_007L * r));
            }
            if (random.nextBoolean()) file.append("{\"log\":\"cut"); // a line still being written
            byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
            for (int room : new int[] {16, 64, 300, 1 << 16}) {
                for (boolean stdout : new boolean[] {true, false}) {
                    LogDataCopierTest.RunsSink copied = new LogDataCopierTest.RunsSink(room, stdout, true);
                    long used = JsonLogReading.deliverAll(MemorySegment.ofArray(bytes), bytes.length, new LogTimeParser(false), copied);
                    LogDataCopierTest.RunsSink general = new LogDataCopierTest.RunsSink(room, stdout, true);
                    long generalUsed = JsonLogReading.deliverAll(MemorySegment.ofArray(bytes), bytes.length, new LogTimeParser(true),
                            (stream, nanos, data, off, len, partial) -> general.accept(stream, 0, data, off, len, partial));
                    // runs may be cut where the general reading has one (a wrong guess of the next stream): same bytes
                    assertThat(merged(copied.out())).as("round %d, room %d", round, room).isEqualTo(merged(general.out()));
                    assertThat(used).isEqualTo(generalUsed);
                    // a window that ends anywhere, in a record's data, keys or time: the same records, the rest left
                    int cut = random.nextInt(bytes.length + 1);
                    LogDataCopierTest.RunsSink cutCopied = new LogDataCopierTest.RunsSink(room, stdout, true);
                    long cutUsed = JsonLogReading.deliverAll(MemorySegment.ofArray(bytes), cut, new LogTimeParser(false), cutCopied);
                    LogDataCopierTest.RunsSink cutGeneral = new LogDataCopierTest.RunsSink(room, stdout, true);
                    long cutGeneralUsed = JsonLogReading.deliverAll(MemorySegment.ofArray(bytes), cut, new LogTimeParser(true),
                            (stream, nanos, data, off, len, partial) -> cutGeneral.accept(stream, 0, data, off, len, partial));
                    assertThat(merged(cutCopied.out())).as("round %d, cut at %d", round, cut).isEqualTo(merged(cutGeneral.out()));
                    assertThat(cutUsed).isEqualTo(cutGeneralUsed);
                }
            }
        }
    }

    /** Adjacent runs of one stream as one run. */
    private static String merged(String runs) {
        if (runs.isEmpty()) return runs;
        StringBuilder out = new StringBuilder();
        String prev = null;
        for (String run : runs.substring(1, runs.length() - 1).split("\\]\\[", -1)) { // the data holds no brackets
            String stream = run.substring(0, 6);
            if (!stream.equals(prev)) out.append(prev == null ? "[" : "][").append(stream).append(' ');
            out.append(run.substring(7));
            prev = stream;
        }
        return out.append(']').toString();
    }

    @Test
    void theVectorAndTheWordCopyOfAStringUnescapeAsTheGeneralPathDoes() {
        java.util.Random random = new java.util.Random(5);
        String[] pieces = {"a", "xyz", "0123456789", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\r", "\\b", "\\f", "\\u00e9", "\\q", "é", "\u20ac"};
        for (int round = 0; round < 3000; round++) {
            StringBuilder raw = new StringBuilder();
            int lead = random.nextInt(3);
            raw.append("x".repeat(lead)); // where the copy starts
            for (int n = random.nextInt(30); n > 0; n--) raw.append(pieces[random.nextInt(pieces.length)]);
            if (random.nextInt(4) > 0) raw.append("\\n"); // most lines end with an escaped newline
            int close = raw.length();
            raw.append("\",\"stream\"");
            if (random.nextBoolean()) raw.append("y".repeat(80)); // room after the string, or the window's end near
            byte[] src = raw.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment s = MemorySegment.ofArray(src);
            int from = lead;
            int quote = raw.toString().substring(0, close).getBytes(StandardCharsets.UTF_8).length;
            // what the general path gives: the string unescaped, or -1 for what the fast copy leaves to it (\\u, bad escapes)
            MemorySegment expected = MemorySegment.ofArray(new byte[src.length]);
            long expectedEnd = JsonLogLines.unescape(s, from, quote, expected, 0);
            boolean simple = !raw.substring(0, close).contains("\\u") && !raw.substring(0, close).contains("\\q");
            int limit = random.nextBoolean() ? 400 : random.nextInt(120);
            for (boolean vectors : new boolean[] {false, true}) {
                MemorySegment dst = MemorySegment.ofArray(new byte[400]);
                JsonLineCopy line = new JsonLineCopy();
                long end = vectors ? JsonVectorCopy.copyString(line, s, from, src.length, dst, 3, limit)
                        : line.copyString(s, from, src.length, dst, 3, limit);
                if (end < 0) {
                    // only what needs the general path, or too near the end of the window or of the room
                    if (simple && limit == 400 && src.length - quote > 64) throw new AssertionError("round " + round + ": " + raw);
                    continue;
                }
                assertThat(simple).as("round %d: %s", round, raw).isTrue();
                assertThat(end).as("round %d: %s", round, raw).isEqualTo(quote);
                assertThat(line.dataEnd - 3).isEqualTo(expectedEnd);
                assertThat(line.dataEnd).isLessThanOrEqualTo(limit);
                assertThat(dst.asSlice(3, line.dataEnd - 3).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(expected.asSlice(0, expectedEnd).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void theVectorAndTheWordScanFindTheSameSpecialByte() {
        java.util.Random random = new java.util.Random(3);
        byte[] specials = {'"', '\\', '<', '>', '&', 0x01, 0x1f, (byte) 0x80, (byte) 0xff, '\n'};
        for (int round = 0; round < 5000; round++) {
            byte[] src = new byte[1 + random.nextInt(120)];
            for (int k = 0; k < src.length; k++) src[k] = (byte) (0x20 + random.nextInt(0x5f));
            for (int k = 0; k < src.length; k++) if (src[k] == '"' || src[k] == '\\' || src[k] == '<' || src[k] == '>' || src[k] == '&') src[k] = 'a';
            for (int n = random.nextInt(3); n > 0; n--) src[random.nextInt(src.length)] = specials[random.nextInt(specials.length)];
            int from = random.nextInt(src.length);
            MemorySegment s = MemorySegment.ofArray(src);
            long expected = JsonLogLines.firstSpecialByWords(s, from, src.length);
            assertThat(JsonVectorCopy.firstSpecial(s, from, src.length)).isEqualTo(expected);
            long bytewise = src.length;
            for (int k = from; k < src.length; k++) {
                int b = src[k] & 0xff;
                if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&') {
                    bytewise = k;
                    break;
                }
            }
            assertThat(expected).isEqualTo(bytewise);
        }
    }

    @Test
    void tailsLinesLongerThanItsProbe() throws Exception {
        Path file = dir.resolve("long-json.log");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 50; i++) s.append(encode(("line-" + i + "-" + "x".repeat(60 + i * 7) + "\n").getBytes(), false, nanos("2026-12-07T20:55:01.123456789Z")));
        Files.writeString(file, s);
        List<String> tail = new ArrayList<>();
        new LogReader(file, LogFormat.JSON_FILE, () -> false).read(new LogReader.Options(false, null, null, 3),
                e -> tail.add(new String(e.data(), StandardCharsets.UTF_8).substring(0, 7)));
        assertThat(tail).containsExactly("line-47", "line-48", "line-49");
    }
}
