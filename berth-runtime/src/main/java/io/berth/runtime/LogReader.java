package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a container's k8s-file log as conmon writes it: one record per line,
 * {@code <RFC 3339 time> <stdout|stderr> <F|P> <data>}, where P marks a partial line continued by the next
 * record. Following polls the file, so it works the same for containers started before a daemon restart.
 */
public final class LogReader {
    /**
     * @param since only entries at or after this time (null = all)
     * @param until only entries before this time (null = no bound)
     * @param tail only the last N lines, counting full lines; negative = all
     */
    public record Options(boolean follow, Instant since, Instant until, int tail) {
        public static final Options ALL = new Options(false, null, null, -1);
    }

    /**
     * Receives records as views into the reader's buffer, valid only during the call, so that a long log is
     * read without an object per record. {@code data[off, off+len)} is the record's data, with the newline of a
     * full line included; {@code epochNanos} is its time.
     */
    public interface RecordSink {
        boolean accept(LogEntry.Stream stream, long epochNanos, byte[] data, int off, int len, boolean partial);
    }

    private static final long POLL_MS = 100;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    /** conmon writes nanoseconds always as nine digits: {@code 2026-12-07T09:53:43.780295775+00:00}. */
    private static final int CONMON_TIME_LENGTH = 35;
    /** Read size; conmon splits a line into records of at most 8 KiB, so a block holds many. */
    private static final int BLOCK = 256 * 1024;
    /** Enough of a record's start to hold its time, stream and tag fields. */
    private static final int HEAD = 64;

    private final Path file;
    private final BooleanSupplier running;

    LogReader(Path file, BooleanSupplier running) {
        this.file = file;
        this.running = running;
    }

    public Path file() {
        return file;
    }

    public List<LogEntry> readAll() {
        List<LogEntry> out = new ArrayList<>();
        read(Options.ALL, out::add);
        return out;
    }

    /** Delivers matching entries in order to {@code sink} until it returns false, or the log ends. */
    public void read(Options options, Predicate<LogEntry> sink) {
        read(options, sink, () -> {});
    }

    /** As {@link #read(Options, Predicate)}, an entry per record; {@code caughtUp} as in the record-view read. */
    public void read(Options options, Predicate<LogEntry> sink, Runnable caughtUp) {
        read(options, true, (stream, nanos, data, off, len, partial) -> sink.test(new LogEntry(
                Instant.ofEpochSecond(0, nanos), stream, Arrays.copyOfRange(data, off, off + len), partial)), caughtUp);
    }

    /**
     * Delivers matching records in order to {@code sink} until it returns false, or the log ends (when not
     * following, or when the container stopped). {@code caughtUp} runs whenever everything the file holds so far
     * has been delivered, which is where a sink that buffers (a network stream) flushes. Memory stays bounded by
     * one block whatever the log's size, and a tail starts at the offset found by reading backwards from the end.
     *
     * @param withTimes whether {@code sink} reads the records' times; if it does not and no since/until bound
     *                  needs them, they are not parsed (a third of a full read) and {@code epochNanos} is 0
     */
    public void read(Options options, boolean withTimes, RecordSink sink, Runnable caughtUp) {
        long since = options.since() == null ? Long.MIN_VALUE : epochNanos(options.since());
        long until = options.until() == null ? Long.MAX_VALUE : epochNanos(options.until());
        RecordSink filtered = (stream, nanos, data, off, len, partial) -> {
            if (nanos >= until) return false; // records are in time order: nothing later can match
            return nanos < since || sink.accept(stream, nanos, data, off, len, partial);
        };
        try {
            long pos = 0;
            if (options.tail() >= 0 && Files.exists(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    pos = tailStart(ch, options.tail());
                }
            }
            LogTimeParser times = new LogTimeParser(withTimes || options.since() != null || options.until() != null);
            while (true) {
                boolean wasRunning = running.getAsBoolean();
                boolean stopped = false;
                if (Files.exists(file)) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        if (ch.size() < pos) pos = 0;
                        long end = readFrom(ch, pos, times, filtered);
                        stopped = end < 0;
                        pos = stopped ? pos : end;
                    }
                }
                caughtUp.run();
                if (stopped || !options.follow() || !wasRunning) return;
                Thread.sleep(POLL_MS);
            }
        } catch (IOException e) {
            throw new SystemFailureException("reading log " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /**
     * The offset where the last {@code lines} full lines begin, found from the end: a line is its full record
     * and the partial records before it, so the tail starts after the full record that precedes them (or at 0).
     * A record still being written (no newline yet) counts for nothing.
     */
    static long tailStart(FileChannel ch, int lines) throws IOException {
        byte[] block = new byte[BLOCK];
        long blockStart = ch.size();
        long newer = -1; // the newline that ends the record whose start we are looking for
        int full = 0;
        while (blockStart > 0) {
            int len = (int) Math.min(BLOCK, blockStart);
            blockStart -= len;
            readFully(ch, ByteBuffer.wrap(block, 0, len), blockStart);
            for (int i = len - 1; i >= 0; i--) {
                if (block[i] != '\n') continue;
                long at = blockStart + i;
                if (newer >= 0 && isFullRecord(ch, at + 1) && ++full > lines) return newer + 1;
                newer = at;
            }
        }
        if (newer >= 0 && isFullRecord(ch, 0) && ++full > lines) return newer + 1;
        return 0;
    }

    private static boolean isFullRecord(FileChannel ch, long start) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEAD);
        ch.read(head, start);
        byte[] h = head.array();
        int s1 = indexOf(h, (byte) ' ', 0, head.position());
        int s2 = s1 < 0 ? -1 : indexOf(h, (byte) ' ', s1 + 1, head.position());
        return s2 >= 0 && s2 + 1 < head.position() && h[s2 + 1] == 'F';
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) throw new IOException("log shrank while read");
        }
    }

    /**
     * Delivers the complete records from {@code pos}; returns the offset after the last one, or -1 when the sink
     * asked to stop. Malformed records are skipped.
     */
    private static long readFrom(FileChannel ch, long pos, LogTimeParser times, RecordSink sink) throws IOException {
        byte[] buf = new byte[BLOCK];
        int len = 0;
        long bufPos = pos; // file offset of buf[0]
        while (true) {
            if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2); // one record longer than a block
            int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len), bufPos + len);
            if (n <= 0) return bufPos;
            int scanFrom = len;
            len += n;
            int start = 0;
            for (int i = indexOfNewline(buf, scanFrom, len); i >= 0; i = indexOfNewline(buf, start, len)) {
                if (!deliver(buf, start, i, times, sink)) return -1;
                start = i + 1;
            }
            System.arraycopy(buf, start, buf, 0, len - start);
            bufPos += start;
            len -= start;
        }
    }

    /** Parses one record {@code <time> <stream> <tag> <data>} in {@code line[from, to)}, to being its newline. */
    private static boolean deliver(byte[] line, int from, int to, LogTimeParser times, RecordSink sink) {
        int s1 = spaceAt(line, from + CONMON_TIME_LENGTH, from, to);
        if (s1 < 0) return true;
        int s2 = spaceAt(line, s1 + 7, s1 + 1, to); // " stdout " or " stderr "
        if (s2 < 0) return true;
        int s3 = spaceAt(line, s2 + 2, s2 + 1, to); // " F " or " P "
        long nanos = times.parse(line, from, s1);
        if (nanos == LogTimeParser.INVALID) return true;
        boolean stderr = s2 - s1 - 1 == 6 && line[s1 + 4] == 'e'; // "stderr", not "stdout"
        boolean partial = (s3 < 0 ? to : s3) > s2 + 1 && line[s2 + 1] == 'P';
        int dataFrom = s3 < 0 ? to : s3 + 1;
        int dataTo = partial ? to : to + 1; // a full line keeps its newline
        return sink.accept(stderr ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT, nanos, line, dataFrom,
                dataTo - dataFrom, partial);
    }

    /** One record as an entry, or null if it is not one; {@code line} holds it without its newline. */
    static LogEntry parse(byte[] line) {
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        LogEntry[] parsed = {null};
        deliver(withNewline, 0, line.length, new LogTimeParser(true), (stream, nanos, data, off, len, partial) -> {
            parsed[0] = new LogEntry(Instant.ofEpochSecond(0, nanos), stream, Arrays.copyOfRange(data, off, off + len), partial);
            return true;
        });
        return parsed[0];
    }

    /** The space at {@code expected} when it is one (the usual record), else the first space in {@code [from, to)}. */
    private static int spaceAt(byte[] line, int expected, int from, int to) {
        return expected < to && line[expected] == ' ' ? expected : indexOf(line, (byte) ' ', from, to);
    }

    /**
     * The first newline in {@code b[from, to)}, or -1; eight bytes at a time (a byte equal to '\n' becomes a zero
     * byte after the xor, and the lowest zero byte of a word is found exactly by the borrow trick). Finding the
     * end of each record is most of a log read's work: byte by byte it took 3x as long.
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long zeros = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
        }
        for (; i < to; i++) {
            if (b[i] == '\n') return i;
        }
        return -1;
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == b) return i;
        return -1;
    }
}
