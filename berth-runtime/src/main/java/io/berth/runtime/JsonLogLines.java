package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Docker's json-file records, one JSON object a line: {@code {"log":"text\n","stream":"stdout","time":"<RFC 3339, UTC,
 * nanoseconds without trailing zeros>"}}. Written as Docker's jsonfilelog writes them (the same key order and the
 * same escapes: {@code \" \\ \n \r}, a {@code u00XX} escape for other control bytes and for {@code < > &}, {@code ufffd} for
 * each byte that is not UTF-8, {@code u2028 u2029}), so that tools reading Docker's files read berth's.
 *
 * <p>By hand, not through Jackson: a 200 MB log is millions of lines, and both directions run a word at a time over
 * the mapped file with no object per line. A line whose shape is not Docker's own (other key order, extra keys such
 * as {@code attrs}) is read by the slower general path.
 */
final class JsonLogLines {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LOG_KEY = "{\"log\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@link #LOG_KEY} is exactly one word. */
    static final long LOG_KEY_WORD = MemorySegment.ofArray(LOG_KEY).get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    /** The two bytes of the escaped newline, as one little-endian short. */
    private static final short ESCAPED_NEWLINE = (short) ('\\' | 'n' << 8);
    private static final byte[] STDOUT_KEY = "\",\"stream\":\"stdout\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR_KEY = "\",\"stream\":\"stderr\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    /** The bytes of a line around its data and time: {@code {"log":"} + the stream's keys + {@code "}\n}. */
    static final int OVERHEAD = LOG_KEY.length + STDOUT_KEY.length + 3;
    /** The longest time Docker writes: {@code 2026-12-07T20:55:00.123456789Z}. */
    static final int MAX_TIME = 30;
    /** The most one data byte grows to (a {@code u00XX} escape). */
    static final int MAX_ESCAPE = 6;

    private JsonLogLines() {}

    // ------------------------------------------------------------------------------------------------ encoding

    /**
     * Formats epoch nanoseconds as Docker does (Go's RFC3339Nano in UTC): the fraction without trailing zeros,
     * none when it is zero. The date and time to the second are cached, as they repeat for every line of a second.
     */
    static final class TimeFormat {
        private long second = Long.MIN_VALUE;
        private final byte[] prefix = new byte[19];
        final byte[] out = new byte[MAX_TIME];

        /** Writes the time into {@link #out}; returns its length. */
        int format(long epochNanos) {
            long s = Math.floorDiv(epochNanos, 1_000_000_000L);
            int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
            if (s != second) {
                byte[] p = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC).toString().getBytes(StandardCharsets.US_ASCII);
                // LocalDateTime prints no seconds when they are zero ("...T20:55"): pad to yyyy-MM-ddTHH:mm:ss
                System.arraycopy(p, 0, prefix, 0, Math.min(p.length, 19));
                if (p.length == 16) {
                    prefix[16] = ':';
                    prefix[17] = '0';
                    prefix[18] = '0';
                }
                second = s;
            }
            System.arraycopy(prefix, 0, out, 0, 19);
            int n = 19;
            if (nanos != 0) {
                out[n++] = '.';
                int digits = 9;
                while (nanos % 10 == 0) {
                    nanos /= 10;
                    digits--;
                }
                for (int i = digits - 1; i >= 0; i--) {
                    out[n + i] = (byte) ('0' + nanos % 10);
                    nanos /= 10;
                }
                n += digits;
            }
            out[n++] = 'Z';
            return n;
        }
    }

    /**
     * Writes one line for the record {@code data[from, to)} into {@code out} at {@code at} and returns where it ends.
     * {@code out} must have room for {@link #maxLength}. A full record's data ends with its newline; a partial
     * one's does not, and its line then has no {@code \n} in its "log", as Docker writes its partial messages.
     * {@code suffix} is what follows the data ({@link #suffix}): the same for every record of a stream and a time,
     * so it is made once for them.
     */
    static long encode(MemorySegment data, long from, long to, MemorySegment suffix, long suffixLength,
                       MemorySegment out, long at) {
        out.set(LONG_LE, at, LOG_KEY_WORD);
        long o = at + Long.BYTES;
        long i = from;
        while (i < to) {
            long special = firstSpecial(data, i, to);
            if (special > i) {
                long n = special - i;
                if (n <= Long.BYTES && i + Long.BYTES <= data.byteSize()) {
                    out.set(LONG_LE, o, data.get(LONG_LE, i)); // a short run: one word, the excess overwritten next
                } else {
                    MemorySegment.copy(data, i, out, o, n);
                }
                o += n;
                i = special;
            }
            if (i >= to) break;
            int b = data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (b == '\n') {
                out.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), o, ESCAPED_NEWLINE);
                o += 2;
                i++;
                continue;
            }
            if (b < 0x80) {
                o = escapeAscii(out, o, b);
                i++;
                continue;
            }
            int size = runeSize(data, i, to);
            if (size < 0) {
                o = put(out, o, "\\ufffd");
                i++;
            } else if (size == 3 && b == 0xe2 && data.get(ValueLayout.JAVA_BYTE, i + 1) == (byte) 0x80
                    && (data.get(ValueLayout.JAVA_BYTE, i + 2) & 0xfe) == 0xa8) {
                o = put(out, o, (data.get(ValueLayout.JAVA_BYTE, i + 2) & 0xff) == 0xa8 ? "\\u2028" : "\\u2029");
                i += 3;
            } else {
                MemorySegment.copy(data, i, out, o, size);
                o += size;
                i += size;
            }
        }
        MemorySegment.copy(suffix, 0, out, o, suffixLength);
        return o + suffixLength;
    }

    /** Writes what follows a record's data, {@code ","stream":"stdout","time":"<time>"}\n}, into {@code into}; its length. */
    static int suffix(boolean stderr, byte[] time, int timeLength, MemorySegment into) {
        byte[] keys = stderr ? STDERR_KEY : STDOUT_KEY;
        MemorySegment.copy(MemorySegment.ofArray(keys), 0, into, 0, keys.length);
        MemorySegment.copy(MemorySegment.ofArray(time), 0, into, keys.length, timeLength);
        long o = keys.length + timeLength;
        into.set(ValueLayout.JAVA_BYTE, o++, (byte) '"');
        into.set(ValueLayout.JAVA_BYTE, o++, (byte) '}');
        into.set(ValueLayout.JAVA_BYTE, o++, (byte) '\n');
        return (int) o;
    }

    /** The most bytes {@link #suffix} writes. */
    static final int MAX_SUFFIX = 28 + MAX_TIME + 3;

    /** The most bytes {@link #encode} writes for {@code dataLength} bytes of data. */
    static long maxLength(long dataLength) {
        return OVERHEAD + MAX_TIME + dataLength * MAX_ESCAPE + Long.BYTES; // a word may be written past the end
    }

    private static long escapeAscii(MemorySegment out, long o, int b) {
        switch (b) {
            case '"', '\\' -> {
                out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\\');
                out.set(ValueLayout.JAVA_BYTE, o++, (byte) b);
            }
            case '\n' -> o = put(out, o, "\\n");
            case '\r' -> o = put(out, o, "\\r");
            default -> {
                o = put(out, o, "\\u00");
                out.set(ValueLayout.JAVA_BYTE, o++, HEX[b >> 4]);
                out.set(ValueLayout.JAVA_BYTE, o++, HEX[b & 0xf]);
            }
        }
        return o;
    }

    /**
     * The first byte in {@code [from, to)} Docker does not write as is (a control byte, {@code " \ < > &}, or
     * not ASCII), or {@code to}; eight bytes at a time. Each test finds its lowest matching byte exactly, so the
     * lowest bit of their union is the first special byte.
     */
    static long firstSpecial(MemorySegment s, long from, long to) {
        return LogDataCopier.VECTORS && to - from >= 32 ? JsonVectorCopy.firstSpecial(s, from, to) : firstSpecialByWords(s, from, to);
    }

    static long firstSpecialByWords(MemorySegment s, long from, long to) {
        long i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = s.get(LONG_LE, i);
            long m = (x & HIGHS) | ((x - 0x2020202020202020L) & ~x & HIGHS)
                    | zeroBytes(x ^ 0x2222222222222222L) | zeroBytes(x ^ 0x5c5c5c5c5c5c5c5cL)
                    | zeroBytes(x ^ 0x3c3c3c3c3c3c3c3cL) | zeroBytes(x ^ 0x3e3e3e3e3e3e3e3eL)
                    | zeroBytes(x ^ 0x2626262626262626L);
            if (m != 0) return i + (Long.numberOfTrailingZeros(m) >>> 3);
        }
        for (; i < to; i++) {
            int b = s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&') return i;
        }
        return to;
    }

    private static long zeroBytes(long y) {
        return (y - ONES) & ~y & HIGHS;
    }

    /** The length of the UTF-8 sequence at {@code i} as Go's decoder accepts it (no overlongs, no surrogates), or -1. */
    static int runeSize(MemorySegment s, long i, long to) {
        int b0 = s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        int size;
        int lo = 0x80;
        int hi = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            size = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            size = 3;
            if (b0 == 0xe0) lo = 0xa0;
            if (b0 == 0xed) hi = 0x9f;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            size = 4;
            if (b0 == 0xf0) lo = 0x90;
            if (b0 == 0xf4) hi = 0x8f;
        } else {
            return -1;
        }
        if (i + size > to) return -1;
        int b1 = s.get(ValueLayout.JAVA_BYTE, i + 1) & 0xff;
        if (b1 < lo || b1 > hi) return -1;
        for (int k = 2; k < size; k++) {
            int b = s.get(ValueLayout.JAVA_BYTE, i + k) & 0xff;
            if (b < 0x80 || b > 0xbf) return -1;
        }
        return size;
    }

    private static long put(MemorySegment out, long o, byte[] bytes) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, out, o, bytes.length);
        return o + bytes.length;
    }

    private static long put(MemorySegment out, long o, String ascii) {
        for (int k = 0; k < ascii.length(); k++) out.set(ValueLayout.JAVA_BYTE, o++, (byte) ascii.charAt(k));
        return o;
    }

    // ------------------------------------------------------------------------------------------------ decoding

    /** One line read: its stream, where its time is ({@code [timeFrom, timeTo)} in the line) and its data's raw span. */
    record Shape(boolean stderr, long rawFrom, long rawTo, long timeFrom, long timeTo) {}

    /**
     * The line {@code [from, nl)} when it has Docker's own shape, read from both ends (the data is the only part of
     * variable content, so the fields around it are found without scanning it); null otherwise.
     */
    static Shape dockerShape(MemorySegment s, long from, long nl) {
        long rawFrom = from + LOG_KEY.length;
        if (nl - from < OVERHEAD + 20 || !startsWith(s, from, LOG_KEY)) return null;
        if (at(s, nl - 1) != '}' || at(s, nl - 2) != '"') return null;
        long timeTo = nl - 2;
        long q = timeTo - 1;
        long floor = Math.max(rawFrom, timeTo - MAX_TIME - 1);
        while (q >= floor && at(s, q) != '"') q--;
        if (q < floor) return null;
        long keysFrom = q + 1 - STDOUT_KEY.length;
        if (keysFrom < rawFrom) return null;
        boolean stderr;
        if (startsWith(s, keysFrom, STDOUT_KEY)) {
            stderr = false;
        } else if (startsWith(s, keysFrom, STDERR_KEY)) {
            stderr = true;
        } else {
            return null;
        }
        // the quote that ends "log" must not be an escaped one: an even number of backslashes before it
        long bs = 0;
        for (long k = keysFrom - 1; k >= rawFrom && at(s, k) == '\\'; k--) bs++;
        if ((bs & 1) != 0) return null;
        return new Shape(stderr, rawFrom, keysFrom, q + 1, timeTo);
    }

    /**
     * Copies the JSON string content {@code raw[from, to)} unescaped into {@code out} at {@code at}; returns where it
     * ends, or -1 when the string is not valid JSON. The result is never longer than the raw string.
     */
    static long unescape(MemorySegment raw, long from, long to, MemorySegment out, long at) {
        long o = at;
        long i = from;
        while (i < to) {
            long bs = indexOfBackslash(raw, i, to);
            if (bs > i) {
                MemorySegment.copy(raw, i, out, o, bs - i);
                o += bs - i;
            }
            if (bs >= to) break;
            if (bs + 1 >= to) return -1;
            byte e = at(raw, bs + 1);
            i = bs + 2;
            switch (e) {
                case 'n' -> out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\n');
                case 'r' -> out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\r');
                case 't' -> out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\t');
                case 'b' -> out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\b');
                case 'f' -> out.set(ValueLayout.JAVA_BYTE, o++, (byte) '\f');
                case '"', '\\', '/' -> out.set(ValueLayout.JAVA_BYTE, o++, e);
                case 'u' -> {
                    int c = hex4(raw, i, to);
                    if (c < 0) return -1;
                    i += 4;
                    if (c >= 0xd800 && c <= 0xdbff && i + 6 <= to && at(raw, i) == '\\' && at(raw, i + 1) == 'u') {
                        int low = hex4(raw, i + 2, to);
                        if (low >= 0xdc00 && low <= 0xdfff) {
                            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                            i += 6;
                        }
                    }
                    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as Go decodes it
                    o = putUtf8(out, o, c);
                }
                default -> {
                    return -1;
                }
            }
        }
        return o;
    }

    private static long putUtf8(MemorySegment out, long o, int c) {
        if (c < 0x80) {
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) c);
        } else if (c < 0x800) {
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0xc0 | c >> 6));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c & 0x3f));
        } else if (c < 0x10000) {
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0xe0 | c >> 12));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c >> 6 & 0x3f));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c & 0x3f));
        } else {
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0xf0 | c >> 18));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c >> 12 & 0x3f));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c >> 6 & 0x3f));
            out.set(ValueLayout.JAVA_BYTE, o++, (byte) (0x80 | c & 0x3f));
        }
        return o;
    }

    private static int hex4(MemorySegment s, long i, long to) {
        if (i + 4 > to) return -1;
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(at(s, i + k), 16);
            if (d < 0) return -1;
            v = v << 4 | d;
        }
        return v;
    }

    /** The first backslash in {@code [from, to)}, or {@code to}; eight bytes at a time. */
    static long indexOfBackslash(MemorySegment s, long from, long to) {
        long i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long m = zeroBytes(s.get(LONG_LE, i) ^ 0x5c5c5c5c5c5c5c5cL);
            if (m != 0) return i + (Long.numberOfTrailingZeros(m) >>> 3);
        }
        for (; i < to; i++) if (at(s, i) == '\\') return i;
        return to;
    }

    /** Whether the raw string {@code [rawFrom, rawTo)} ends with an escaped newline (its record is a full line). */
    static boolean endsWithNewline(MemorySegment s, long rawFrom, long rawTo) {
        if (rawTo - rawFrom < 2 || at(s, rawTo - 1) != 'n' || at(s, rawTo - 2) != '\\') return false;
        long bs = 0;
        for (long k = rawTo - 2; k >= rawFrom && at(s, k) == '\\'; k--) bs++;
        return (bs & 1) == 1;
    }

    /**
     * The general reading of a line of any key order, with unknown keys skipped: the data unescaped into
     * {@code out} from 0; null when the line is no JSON object with a string "log" and a string "time".
     */
    record General(boolean stderr, int length, long timeFrom, long timeTo) {}

    static General general(MemorySegment s, long from, long nl, MemorySegment out) {
        long i = skipSpaces(s, from, nl);
        if (i >= nl || at(s, i) != '{') return null;
        i++;
        boolean stderr = false;
        int length = -1;
        long timeFrom = -1;
        long timeTo = -1;
        while (true) {
            i = skipSpaces(s, i, nl);
            if (i >= nl) return null;
            if (at(s, i) == '}') break;
            if (at(s, i) == ',') {
                i++;
                continue;
            }
            if (at(s, i) != '"') return null;
            long keyEnd = stringEnd(s, i + 1, nl);
            if (keyEnd < 0) return null;
            String key = new String(s.asSlice(i + 1, keyEnd - i - 1).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            i = skipSpaces(s, keyEnd + 1, nl);
            if (i >= nl || at(s, i) != ':') return null;
            i = skipSpaces(s, i + 1, nl);
            if (i >= nl) return null;
            if (at(s, i) == '"') {
                long end = stringEnd(s, i + 1, nl);
                if (end < 0) return null;
                switch (key) {
                    case "log" -> {
                        long n = unescape(s, i + 1, end, out, 0);
                        if (n < 0) return null;
                        length = (int) n;
                    }
                    case "stream" -> stderr = end - i - 1 == 6 && startsWith(s, i + 1, "stderr".getBytes(StandardCharsets.US_ASCII));
                    case "time" -> {
                        timeFrom = i + 1;
                        timeTo = end;
                    }
                    default -> { }
                }
                i = end + 1;
            } else {
                i = skipValue(s, i, nl);
                if (i < 0) return null;
            }
        }
        if (timeFrom < 0) return null;
        return new General(stderr, Math.max(length, 0), timeFrom, timeTo);
    }

    /** The closing quote of a string whose content starts at {@code i}, or -1. */
    private static long stringEnd(MemorySegment s, long i, long to) {
        for (; i < to; i++) {
            byte b = at(s, i);
            if (b == '\\') i++;
            else if (b == '"') return i;
        }
        return -1;
    }

    /** Skips a number, literal, object or array (attrs); returns where it ends, or -1. */
    private static long skipValue(MemorySegment s, long i, long to) {
        int depth = 0;
        for (; i < to; i++) {
            byte b = at(s, i);
            if (b == '"') {
                i = stringEnd(s, i + 1, to);
                if (i < 0) return -1;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (depth == 0) return i;
                if (--depth == 0) return i + 1;
            } else if (b == ',' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static long skipSpaces(MemorySegment s, long i, long to) {
        while (i < to && (at(s, i) == ' ' || at(s, i) == '\t' || at(s, i) == '\r')) i++;
        return i;
    }

    private static boolean startsWith(MemorySegment s, long at, byte[] p) {
        for (int k = 0; k < p.length; k++) if (at(s, at + k) != p[k]) return false;
        return true;
    }

    private static byte at(MemorySegment s, long i) {
        return s.get(ValueLayout.JAVA_BYTE, i);
    }
}
