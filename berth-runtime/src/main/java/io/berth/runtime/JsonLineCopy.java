package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The fast path through a json-file line of Docker's own shape: one pass that copies the "log" string's bytes
 * straight into the reader's memory, unescaping as it goes, then checks the fixed fields after it and finds the
 * line's end there; each byte of the line is read once. A line it cannot take (another shape, too near the window's
 * end or the buffer's limit) makes it answer -1, and the general path ({@link JsonLogLines}) reads that line.
 * One instance per read: the fields describe the line copied last.
 */
final class JsonLineCopy {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** {@code {"log":"} is exactly one word. */
    private static final long LOG_KEY = word(JsonLogLines.LOG_KEY, 0);
    /** {@code ","stream":"std} and what follows: {@code out","time":"} or {@code err","time":"}. */
    private static final long STREAM_KEY_1 = word("\",\"strea".getBytes(), 0);
    private static final long STREAM_KEY_2 = word("m\":\"std".getBytes(), 0) & 0x00ffffffffffffffL;
    private static final long OUT_TIME = word("out\",\"ti".getBytes(), 0);
    private static final long ERR_TIME = word("err\",\"ti".getBytes(), 0);
    private static final long TIME_END = word("me\":\"".getBytes(), 0) & 0xffffffffffL;
    /** From the closing quote of "log" to the time's first byte. */
    private static final int KEYS = 28;

    /** The newline ending the line copied last. */
    long newline;
    boolean stderr;
    long timeFrom;
    long timeTo;

    /**
     * Copies the data of the line at {@code start} into {@code dst} from {@code to}, never writing at or past
     * {@code limit}; returns where the data ends in {@code dst}, or -1 when the general path must read this line.
     */
    long copy(MemorySegment src, long start, long len, MemorySegment dst, long to, long limit) {
        if (start + Long.BYTES > len || src.get(LONG_LE, start) != LOG_KEY) return -1;
        long i = start + Long.BYTES;
        long d = to;
        while (true) {
            long k = LogDataCopier.VECTORS ? JsonVectorCopy.copyToQuoteOrBackslash(src, i, len, dst, d, limit)
                    : copyToQuoteOrBackslash(src, i, len, dst, d, limit);
            if (k < 0) return -1;
            d += k - i;
            if (src.get(ValueLayout.JAVA_BYTE, k) == '"') {
                i = k;
                break;
            }
            if (k + 1 >= len || d + 4 > limit) return -1;
            byte e = src.get(ValueLayout.JAVA_BYTE, k + 1);
            byte out;
            switch (e) {
                case 'n' -> out = '\n';
                case '"', '\\', '/' -> out = e;
                case 'r' -> out = '\r';
                case 't' -> out = '\t';
                case 'b' -> out = '\b';
                case 'f' -> out = '\f';
                default -> {
                    return -1; // \\u escapes are rare: the general path decodes them
                }
            }
            dst.set(ValueLayout.JAVA_BYTE, d++, out);
            i = k + 2;
        }
        // i is the closing quote of "log"; the fields after it are fixed up to the time
        if (i + KEYS + 3 > len || src.get(LONG_LE, i) != STREAM_KEY_1
                || (src.get(LONG_LE, i + 8) & 0x00ffffffffffffffL) != STREAM_KEY_2) return -1;
        long w = src.get(LONG_LE, i + 15);
        if (w == OUT_TIME) stderr = false;
        else if (w == ERR_TIME) stderr = true;
        else return -1;
        if (i + 23 + 5 > len || (src.get(LONG_LE, i + 23 - 3) >>> 24) != TIME_END) return -1;
        timeFrom = i + KEYS;
        long q = timeFrom;
        long max = Math.min(len - 2, timeFrom + JsonLogLines.MAX_TIME + 1);
        while (q < max && src.get(ValueLayout.JAVA_BYTE, q) != '"') q++;
        if (q >= max || src.get(ValueLayout.JAVA_BYTE, q + 1) != '}' || src.get(ValueLayout.JAVA_BYTE, q + 2) != '\n') return -1;
        timeTo = q;
        newline = q + 2;
        return d;
    }

    /**
     * Copies {@code src} from {@code from} to {@code dst} from {@code to} a word at a time until the word holding a
     * quote or a backslash, and returns that byte's offset; -1 when a word would pass {@code len} or {@code limit}.
     */
    static long copyToQuoteOrBackslash(MemorySegment src, long from, long len, MemorySegment dst, long to, long limit) {
        for (long i = from, d = to; i + Long.BYTES <= len && d + Long.BYTES <= limit; i += Long.BYTES, d += Long.BYTES) {
            long x = src.get(LONG_LE, i);
            dst.set(LONG_LE, d, x);
            long m = zeroBytes(x ^ 0x2222222222222222L) | zeroBytes(x ^ 0x5c5c5c5c5c5c5c5cL);
            if (m != 0) return i + (Long.numberOfTrailingZeros(m) >>> 3);
        }
        return -1;
    }

    private static long zeroBytes(long y) {
        return (y - ONES) & ~y & HIGHS;
    }

    private static long word(byte[] b, int from) {
        long w = 0;
        for (int k = Math.min(Long.BYTES, b.length - from) - 1; k >= 0; k--) w = (w << 8) | (b[from + k] & 0xff);
        return w;
    }
}
