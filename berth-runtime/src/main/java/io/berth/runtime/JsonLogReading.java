package io.berth.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        JsonLineCopy line = new JsonLineCopy();
        MemorySegment scratch = MemorySegment.ofArray(new byte[SCRATCH]);
        LogEntry.Stream run = null; // the stream of the copy sink's open run
        LogEntry.Stream last = LogEntry.Stream.STDOUT;
        long to = 0;
        long start = 0;
        while (start < len) {
            if (copy != null) {
                if (run == null) {
                    // the stream shows only after the data: guess the last one, and move the data if wrong
                    run = copy.wants(last) ? last : last == LogEntry.Stream.STDOUT ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
                    to = copy.begin(run);
                    if (to < 0) return -1;
                }
                long end = line.copy(seg, start, len, copy.buffer(), to, copy.limit());
                if (end >= 0) {
                    LogEntry.Stream stream = line.stderr ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
                    last = stream;
                    if (stream == run) {
                        to = end;
                    } else if (copy.wants(stream)) {
                        int n = (int) (end - to);
                        if (scratch.byteSize() < n) scratch = MemorySegment.ofArray(new byte[n]);
                        MemorySegment.copy(copy.buffer(), to, scratch, 0, n);
                        copy.end(to);
                        run = stream;
                        to = copy.begin(stream);
                        if (to < 0) return -1;
                        if (copy.limit() - to >= n) {
                            MemorySegment.copy(scratch, 0, copy.buffer(), to, n);
                            to += n;
                        } else {
                            copy.end(to);
                            run = null;
                            if (!copy.accept(stream, 0, scratch, 0, n, n == 0 || scratch.get(ValueLayout.JAVA_BYTE, n - 1) != '\n')) return -1;
                        }
                    }
                    start = line.newline + 1;
                    continue;
                }
                copy.end(to); // this line by the general path, outside any run
                run = null;
            } else {
                long end = line.copy(seg, start, len, scratch, 0, scratch.byteSize());
                if (end >= 0) {
                    long nanos = times.parse(seg, line.timeFrom, line.timeTo);
                    boolean partial = end == 0 || scratch.get(ValueLayout.JAVA_BYTE, end - 1) != '\n';
                    if (nanos != LogTimeParser.INVALID && !sink.accept(line.stderr ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT,
                            nanos, scratch, 0, (int) end, partial)) return -1;
                    start = line.newline + 1;
                    continue;
                }
            }
            long nl = LogReader.indexOfNewline(seg, start, len);
            if (nl < 0) break;
            if (scratch.byteSize() < nl - start) scratch = MemorySegment.ofArray(new byte[(int) (nl - start)]);
            if (!general(seg, start, nl, times, sink, copy, scratch)) return -1;
            start = nl + 1;
        }
        if (run != null) copy.end(to);
        return start;
    }

    /** One line of any shape, through {@link JsonLogLines#general}; lines that are no record are skipped. */
    private static boolean general(MemorySegment seg, long start, long nl, LogTimeParser times, LogReader.RecordSink sink,
                                   LogReader.CopySink copy, MemorySegment scratch) {
        JsonLogLines.General g = JsonLogLines.general(seg, start, nl, scratch);
        long nanos = g == null ? LogTimeParser.INVALID : times.parse(seg, g.timeFrom(), g.timeTo());
        if (nanos == LogTimeParser.INVALID) return true;
        LogEntry.Stream stream = g.stderr() ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
        if (copy != null && !copy.wants(stream)) return true;
        boolean partial = g.length() == 0 || scratch.get(ValueLayout.JAVA_BYTE, g.length() - 1) != '\n';
        return sink.accept(stream, nanos, scratch, 0, g.length(), partial);
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
