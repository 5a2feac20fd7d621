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
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
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
    /** Where the data copied last ends in the destination. */
    long dataEnd;

    /**
     * Copies the data of the line at {@code start} into {@code dst} from {@code to}, never writing at or past
     * {@code limit}; returns where the data ends in {@code dst}, or -1 when the general path must read this line.
     */
    long copy(MemorySegment src, long start, long len, MemorySegment dst, long to, long limit) {
        if (start + Long.BYTES > len || src.get(LONG_LE, start) != LOG_KEY) return -1;
        long i = LogDataCopier.VECTORS ? JsonVectorCopy.copyString(this, src, start + Long.BYTES, len, dst, to, limit)
                : copyString(src, start + Long.BYTES, len, dst, to, limit);
        if (i < 0) return -1;
        // i is the closing quote of "log"; the fields after it are fixed up to the time
        if (i + KEYS + 3 > len || src.get(LONG_LE, i) != STREAM_KEY_1
                || (src.get(LONG_LE, i + 8) & 0x00ffffffffffffffL) != STREAM_KEY_2) return -1;
        long w = src.get(LONG_LE, i + 15);
        if (w == OUT_TIME) stderr = false;
        else if (w == ERR_TIME) stderr = true;
        else return -1;
        if (i + 23 + 5 > len || (src.get(LONG_LE, i + 23 - 3) >>> 24) != TIME_END) return -1;
        timeFrom = i + KEYS;
        // the time's closing quote: the first quote in its four words (MAX_TIME + 1 bytes and one more), then "}\n.
        // Straight-line code, no loop: a loop here had C2 hoist its bound as a predicate that failed at each window's
        // end, and recompile the method again and again (the read ran 3x slower until it settled).
        if (timeFrom + 4 * Long.BYTES > len) return -1; // near the window's end: the general path
        long q = firstQuote(src, timeFrom);
        if (q > timeFrom + JsonLogLines.MAX_TIME || q + 2 >= len
                || src.get(ValueLayout.JAVA_BYTE, q + 1) != '}' || src.get(ValueLayout.JAVA_BYTE, q + 2) != '\n') return -1;
        timeTo = q;
        newline = q + 2;
        return dataEnd;
    }

    /**
     * Copies the JSON string's bytes from {@code from} (after its opening quote) into {@code dst} from {@code to},
     * unescaping as it goes, eight bytes at a time; returns the closing quote's offset, with {@link #dataEnd} set, or
     * -1 when the general path must read the line (a {@code \\u} escape, the window's end, the buffer's limit). A word
     * copied past the string's end is overwritten by what comes next.
     */
    long copyString(MemorySegment src, long from, long len, MemorySegment dst, long to, long limit) {
        long i = from;
        long d = to;
        while (i + Long.BYTES <= len && d + Long.BYTES <= limit) {
            long x = src.get(LONG_LE, i);
            dst.set(LONG_LE, d, x);
            long m = zeroBytes(x ^ QUOTES) | zeroBytes(x ^ BACKSLASHES);
            if (m == 0) {
                i += Long.BYTES;
                d += Long.BYTES;
                continue;
            }
            int n = Long.numberOfTrailingZeros(m) >>> 3;
            i += n;
            d += n;
            if (src.get(ValueLayout.JAVA_BYTE, i) == '"') {
                dataEnd = d;
                return i;
            }
            if (i + 2 >= len) return -1;
            int out = unescaped(src.get(ValueLayout.JAVA_BYTE, i + 1));
            if (out < 0) return -1;
            dst.set(ValueLayout.JAVA_BYTE, d++, (byte) out);
            i += 2;
            if (src.get(ValueLayout.JAVA_BYTE, i) == '"') { // the usual end: an escaped newline, then the quote
                dataEnd = d;
                return i;
            }
        }
        return -1;
    }

    /** The byte a two-byte escape {@code \\e} stands for, or -1 for {@code \\u} and what is no escape. */
    static int unescaped(byte e) {
        return switch (e) {
            case 'n' -> '\n';
            case '"', '\\', '/' -> e;
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'f' -> '\f';
            default -> -1; // \\u escapes are rare: the general path decodes them
        };
    }

    /** The offset of the first quote in the four words from {@code at}, or past them when there is none. */
    private static long firstQuote(MemorySegment src, long at) {
        long m = zeroBytes(src.get(LONG_LE, at) ^ QUOTES);
        if (m != 0) return at + (Long.numberOfTrailingZeros(m) >>> 3);
        m = zeroBytes(src.get(LONG_LE, at + 8) ^ QUOTES);
        if (m != 0) return at + 8 + (Long.numberOfTrailingZeros(m) >>> 3);
        m = zeroBytes(src.get(LONG_LE, at + 16) ^ QUOTES);
        if (m != 0) return at + 16 + (Long.numberOfTrailingZeros(m) >>> 3);
        m = zeroBytes(src.get(LONG_LE, at + 24) ^ QUOTES);
        return at + 24 + (m != 0 ? Long.numberOfTrailingZeros(m) >>> 3 : Long.BYTES);
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
