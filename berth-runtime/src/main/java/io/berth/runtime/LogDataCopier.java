package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads conmon's records ({@code <35-byte time> stdout|stderr F|P <data>\n}) and copies their data straight into a
 * {@link LogReader.CopySink}'s memory, eight bytes at a time in the same pass that looks for each record's newline:
 * each byte of the log is read once, nothing is allocated and nothing is called per record. A word copied past a
 * record's newline is overwritten by the next record's data. Records of another shape (hand-written logs) go
 * through the sink's {@code accept} as the general parser reads them.
 *
 * <p>The copy is {@link LogVectorCopy}'s, a vector at a time, when the JVM has the Vector API, else eight bytes
 * at a time here.
 *
 * <p>Why: reading a record, then copying it in a second call per record, cost more than the copy itself (a 200 MB
 * log is 2.8 M records); the profile of a {@code docker logs} showed the scan and the per-record calls as the largest
 * part of berthd's time, not the memory traffic.
 */
final class LogDataCopier {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** conmon writes nanoseconds always as nine digits: {@code 2026-12-07T09:53:43.780295775+00:00}. */
    static final int TIME_LENGTH = 35;
    /** {@code <time> stdout F }: where a conmon record's data begins. */
    static final int FIELDS = TIME_LENGTH + 10;
    /** {@code " stdout "} and {@code " stderr "} read as little-endian words from the space after the time. */
    private static final long STDOUT_WORD = word(" stdout ");
    private static final long STDERR_WORD = word(" stderr ");
    private static final LogTimeParser NO_TIMES = new LogTimeParser(false);
    /** Whether {@link LogVectorCopy} can be loaded: the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private LogDataCopier() {}

    /**
     * Copies the data of the complete records in {@code src[0, len)}; returns the bytes they take (a record still
     * being written is left for later), or -1 when the sink asked to stop.
     */
    static long copyAll(MemorySegment src, long len, LogReader.CopySink sink) {
        MemorySegment dst = sink.buffer();
        LogEntry.Stream run = null; // the stream of the open run; null when none is open
        long to = 0;
        long limit = 0;
        long start = 0;
        while (true) {
            long data = start + FIELDS;
            LogEntry.Stream stream = data <= len ? conmonStream(src, start) : null;
            if (stream == null) { // not conmon's shape, or too near the end to tell: the general parser
                long nl = LogReader.indexOfNewline(src, start, len);
                if (nl < 0) break;
                if (run != null) sink.end(to);
                run = null;
                if (!LogReader.deliver(src, start, nl, NO_TIMES, sink)) return -1;
                start = nl + 1;
                continue;
            }
            boolean partial = src.get(ValueLayout.JAVA_BYTE, start + TIME_LENGTH + 8) == 'P';
            if (!sink.wants(stream)) {
                long nl = LogReader.indexOfNewline(src, data, len);
                if (nl < 0) break;
                start = nl + 1;
                continue;
            }
            if (stream != run) {
                if (run != null) sink.end(to);
                to = sink.begin(stream);
                if (to < 0) return -1;
                limit = sink.limit();
                run = stream;
            }
            long nl = VECTORS ? LogVectorCopy.copyToNewline(src, data, len, dst, to, limit)
                    : copyToNewline(src, data, len, dst, to, limit);
            if (nl >= 0) {
                to += (partial ? nl : nl + 1) - data; // a full line keeps its newline
            } else { // the window's last bytes, or the run's room is used up: this record by the general path
                nl = LogReader.indexOfNewline(src, data, len);
                if (nl < 0) break;
                sink.end(to);
                run = null;
                if (!sink.accept(stream, 0, src, data, (int) ((partial ? nl : nl + 1) - data), partial)) return -1;
            }
            start = nl + 1;
        }
        if (run != null) sink.end(to);
        return start;
    }

    /**
     * Copies {@code src} from {@code from} to {@code dst} from {@code to} a word at a time until the word that holds
     * a newline, and returns the newline's offset; -1 when there is none before a word would pass {@code len} or
     * {@code limit} (then some bytes may have been copied, and the caller finds the newline itself).
     */
    static long copyToNewline(MemorySegment src, long from, long len, MemorySegment dst, long to, long limit) {
        for (long i = from, d = to; i + Long.BYTES <= len && d + Long.BYTES <= limit; i += Long.BYTES, d += Long.BYTES) {
            long x = src.get(LONG_LE, i);
            dst.set(LONG_LE, d, x);
            long y = x ^ NEWLINES;
            long zeros = (y - ONES) & ~y & HIGHS; // the lowest zero byte of y is exactly found
            if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
        }
        return -1;
    }

    /** The stream of the record at {@code start} when its fields are where conmon puts them, else null. */
    private static LogEntry.Stream conmonStream(MemorySegment src, long start) {
        byte tag = src.get(ValueLayout.JAVA_BYTE, start + TIME_LENGTH + 8);
        if ((tag != 'F' && tag != 'P') || src.get(ValueLayout.JAVA_BYTE, start + FIELDS - 1) != ' ') return null;
        long w = src.get(LONG_LE, start + TIME_LENGTH);
        return w == STDOUT_WORD ? LogEntry.Stream.STDOUT : w == STDERR_WORD ? LogEntry.Stream.STDERR : null;
    }

    private static long word(String s) {
        long w = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--) w = (w << 8) | (s.charAt(i) & 0xff);
        return w;
    }
}
