package io.berth.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Cuts a window of a json-file log into records for {@link LogReader}'s sinks. A {@link LogReader.CopySink} gets each
 * line's data unescaped straight into its buffer, in runs of one stream ({@link LogDataCopier}'s contract): no object
 * and no call per line. Other sinks get each record's data unescaped into a scratch buffer. Lines that are not JSON
 * records are skipped, as Docker's reader skips what it cannot decode only at the end of a file.
 */
final class JsonLogReading {
    private static final int SCRATCH = 64 * 1024;
    /** Bytes read before a line's newline to find its fields when telling full lines from partial ones. */
    private static final int TAIL_PROBE = 128;

    private JsonLogReading() {}

    static long deliverAll(MemorySegment seg, long len, LogTimeParser times, LogReader.RecordSink sink) {
        LogReader.CopySink copy = !times.enabled() && sink instanceof LogReader.CopySink c ? c : null;
        MemorySegment scratch = null;
        LogEntry.Stream run = null;
        long to = 0;
        long start = 0;
        while (true) {
            long nl = LogReader.indexOfNewline(seg, start, len);
            if (nl < 0) break;
            JsonLogLines.Shape sh = JsonLogLines.dockerShape(seg, start, nl);
            LogEntry.Stream stream;
            long nanos;
            if (sh != null) {
                stream = sh.stderr() ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
                nanos = times.parse(seg, sh.timeFrom(), sh.timeTo());
                boolean partial = !JsonLogLines.endsWithNewline(seg, sh.rawFrom(), sh.rawTo());
                if (nanos != LogTimeParser.INVALID && copy != null) {
                    if (!copy.wants(stream)) {
                        start = nl + 1;
                        continue;
                    }
                    if (stream != run) {
                        if (run != null) copy.end(to);
                        to = copy.begin(stream);
                        if (to < 0) return -1;
                        run = stream;
                    }
                    if (copy.limit() - to >= sh.rawTo() - sh.rawFrom()) { // unescaped data is never longer than raw
                        long end = JsonLogLines.unescape(seg, sh.rawFrom(), sh.rawTo(), copy.buffer(), to);
                        if (end >= 0) to = end;
                        start = nl + 1;
                        continue;
                    }
                    copy.end(to); // no room left in the run: this record on its own
                    run = null;
                }
                if (nanos != LogTimeParser.INVALID) {
                    if (scratch == null || scratch.byteSize() < sh.rawTo() - sh.rawFrom()) {
                        scratch = MemorySegment.ofArray(new byte[(int) Math.max(SCRATCH, sh.rawTo() - sh.rawFrom())]);
                    }
                    long n = JsonLogLines.unescape(seg, sh.rawFrom(), sh.rawTo(), scratch, 0);
                    if (n >= 0 && !sink.accept(stream, nanos, scratch, 0, (int) n, partial)) return -1;
                }
            } else {
                if (scratch == null || scratch.byteSize() < nl - start) {
                    scratch = MemorySegment.ofArray(new byte[(int) Math.max(SCRATCH, nl - start)]);
                }
                JsonLogLines.General g = JsonLogLines.general(seg, start, nl, scratch);
                nanos = g == null ? LogTimeParser.INVALID : times.parse(seg, g.timeFrom(), g.timeTo());
                if (nanos != LogTimeParser.INVALID) {
                    if (run != null) {
                        copy.end(to);
                        run = null;
                    }
                    stream = g.stderr() ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
                    boolean partial = g.length() == 0 || scratch.get(java.lang.foreign.ValueLayout.JAVA_BYTE, g.length() - 1) != '\n';
                    boolean wanted = copy == null || copy.wants(stream);
                    if (wanted && !sink.accept(stream, nanos, scratch, 0, g.length(), partial)) return -1;
                }
            }
            start = nl + 1;
        }
        if (run != null) copy.end(to);
        return start;
    }

    /** Whether the line {@code [start, newline)} holds a full line's record: its "log" ends with a newline. */
    static boolean isFullRecord(FileChannel ch, long start, long newline) throws IOException {
        long from = Math.max(start, newline - TAIL_PROBE);
        ByteBuffer probe = ByteBuffer.allocate((int) (newline + 1 - from));
        LogFormat.readFully(ch, probe, from);
        MemorySegment p = MemorySegment.ofBuffer(probe.flip());
        long nl = newline - from;
        if (from == start) {
            JsonLogLines.Shape sh = JsonLogLines.dockerShape(p, 0, nl);
            if (sh != null) return JsonLogLines.endsWithNewline(p, sh.rawFrom(), sh.rawTo());
        } else {
            // the end of a long line: its fields are Docker's when they parse with a made-up start
            Boolean full = fullByEnd(p, nl);
            if (full != null) return full;
        }
        ByteBuffer whole = ByteBuffer.allocate((int) (newline + 1 - start));
        LogFormat.readFully(ch, whole, start);
        MemorySegment w = MemorySegment.ofBuffer(whole.flip());
        MemorySegment scratch = MemorySegment.ofArray(new byte[(int) (newline - start) + 1]);
        JsonLogLines.General g = JsonLogLines.general(w, 0, newline - start, scratch);
        return g != null && g.length() > 0 && scratch.get(java.lang.foreign.ValueLayout.JAVA_BYTE, g.length() - 1) == '\n';
    }

    /**
     * Whether a line is full, from its last bytes read as if {@code {"log":"} came right before them; null when they
     * do not have Docker's shape.
     */
    private static Boolean fullByEnd(MemorySegment end, long nl) {
        byte[] key = JsonLogLines.LOG_KEY;
        byte[] b = new byte[key.length + (int) nl];
        System.arraycopy(key, 0, b, 0, key.length);
        MemorySegment.copy(end, 0, MemorySegment.ofArray(b), key.length, nl);
        MemorySegment s = MemorySegment.ofArray(b);
        JsonLogLines.Shape sh = JsonLogLines.dockerShape(s, 0, b.length);
        // the made-up start may have cut an escape in two: only a data part long enough to hold "\n" is trusted
        if (sh == null || sh.rawTo() - sh.rawFrom() <= 8) return null;
        return JsonLogLines.endsWithNewline(s, sh.rawFrom(), sh.rawTo());
    }
}
