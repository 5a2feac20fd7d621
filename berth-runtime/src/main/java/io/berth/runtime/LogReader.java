package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads a container's log in its driver's {@link LogFormat}: conmon's k8s-file records
 * ({@code <RFC 3339 time> <stdout|stderr> <F|P> <data>}, where P marks a partial line continued by the next
 * record) or Docker's json-file lines, one record per line; across the rotated files ({@link LogFiles}) oldest first, then the current one. Following polls the
 * current file, so it works the same for containers started before a daemon restart, and moves on to the new
 * file when a rotation replaced it (after reading the old one to its end: conmon closed it before making the new).
 *
 * <p>Plain files are mapped a window at a time and parsed in place: no copy into the Java heap (a read(2) into a
 * heap array is two copies in the JDK) and memory bounded by one window, unmapped as soon as it is parsed.
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
     * Receives records as views into the reader's memory, valid only during the call, so that a long log is
     * read without an object per record. {@code data[off, off+len)} is the record's data, with the newline of a
     * full line included; {@code epochNanos} is its time.
     */
    public interface RecordSink {
        boolean accept(LogEntry.Stream stream, long epochNanos, MemorySegment data, long off, int len, boolean partial);
    }

    /**
     * A sink that also takes records' data copied straight into its memory, in runs of one stream's records back to
     * back, with no call per record ({@link LogDataCopier}): how a log is read when neither its times nor since/until
     * are needed. Records the copier cannot take (another shape than conmon's, or too long for the run's room) come
     * through {@link #accept} between runs, with times 0.
     */
    public interface CopySink extends RecordSink {
        /** Whether records of {@code stream} are wanted at all; the others are skipped. */
        boolean wants(LogEntry.Stream stream);

        /** The memory runs are copied into. */
        MemorySegment buffer();

        /**
         * Starts a run of {@code stream}'s data (or continues the last one): where in {@link #buffer} its first byte
         * goes, or -1 to stop reading. The run may fill the buffer up to {@link #limit}.
         */
        long begin(LogEntry.Stream stream);

        /** Where the run begun last must end. */
        long limit();

        /** The run begun last ends at {@code end}, the offset after its last byte. */
        void end(long end);
    }

    /** How long a follower that has caught up waits at most before it looks again (a change wakes it sooner). */
    private static final long POLL_NANOS = java.time.Duration.ofMillis(100).toNanos();
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final int CONMON_TIME_LENGTH = LogDataCopier.TIME_LENGTH;
    private static final int CONMON_FIELDS = LogDataCopier.FIELDS;
    /** Bytes mapped at once; conmon splits a line into records of at most 8 KiB, so a window holds many. */
    private static final long WINDOW = 8L * 1024 * 1024;
    /** Read size backwards (tail) and of decompressed blocks. */
    private static final int BLOCK = 256 * 1024;
    /** Enough of a record's start to hold its time, stream and tag fields. */
    private static final int HEAD = 64;

    private final LogFiles files;
    private final LogFormat format;
    private final BooleanSupplier running;
    private final long lookNanos;

    LogReader(LogFiles files, LogFormat format, BooleanSupplier running) {
        this(files, format, running, POLL_NANOS);
    }

    private LogReader(LogFiles files, LogFormat format, BooleanSupplier running, long lookNanos) {
        this.files = files;
        this.format = format;
        this.running = running;
        this.lookNanos = lookNanos;
    }

    /** This reader with a follower's look {@code every} apart instead of 100 ms (tests). */
    LogReader lookingEvery(java.time.Duration every) {
        return new LogReader(files, format, running, every.toNanos());
    }

    LogReader(Path file, BooleanSupplier running) {
        this(new LogFiles(file, new LogFiles.Lock()), LogFormat.K8S_FILE, running);
    }

    LogReader(Path file, LogFormat format, BooleanSupplier running) {
        this(new LogFiles(file, new LogFiles.Lock()), format, running);
    }

    public Path file() {
        return files.current();
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
                Instant.ofEpochSecond(0, nanos), stream, data.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), partial)), caughtUp);
    }

    /** One file of the log, opened: the rotated ones are read to their end, the last plain one is followed. */
    private sealed interface Source extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private record Plain(FileChannel ch, Object key) implements Source {
        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Held open from the listing on, so that a rotation renaming it meanwhile does not swap it for another. */
    private record Gzip(FileChannel ch) implements Source {
        @Override
        public void close() throws IOException {
            ch.close();
        }

        /** The decompressed content from its start; closing it leaves the channel open for another pass. */
        InputStream open() throws IOException {
            ch.position(0);
            InputStream raw = java.nio.channels.Channels.newInputStream(ch);
            return new GZIPInputStream(new java.io.FilterInputStream(raw) {
                @Override
                public void close() {}
            }, BLOCK);
        }
    }

    /**
     * Delivers matching records in order to {@code sink} until it returns false, or the log ends (when not
     * following, or when the container stopped). {@code caughtUp} runs whenever everything the files hold so far
     * has been delivered, which is where a sink that buffers (a network stream) flushes. Memory stays bounded by
     * one window whatever the log's size, and a tail starts where reading backwards from the end finds it.
     *
     * @param withTimes whether {@code sink} reads the records' times; if it does not and no since/until bound
     *                  needs them, they are not parsed and {@code epochNanos} is 0
     */
    public void read(Options options, boolean withTimes, RecordSink sink, Runnable caughtUp) {
        long since = options.since() == null ? Long.MIN_VALUE : epochNanos(options.since());
        long until = options.until() == null ? Long.MAX_VALUE : epochNanos(options.until());
        boolean bounded = options.since() != null || options.until() != null;
        // unwrapped when there is nothing to filter, so that a CopySink stays one
        RecordSink filtered = !bounded ? sink : (stream, nanos, data, off, len, partial) -> {
            if (nanos >= until) return false; // records are in time order: nothing later can match
            return nanos < since || sink.accept(stream, nanos, data, off, len, partial);
        };
        LogTimeParser times = new LogTimeParser(withTimes || bounded);
        long[] rotations = new long[1];
        List<Source> sources = open(rotations);
        try {
            Plain followed = sources.isEmpty() || !(sources.getLast() instanceof Plain p) ? null : p;
            List<Source> before = followed == null ? sources : sources.subList(0, sources.size() - 1);
            // where to start: the whole log, or the tail's first line counted backwards across the files
            int first = 0;
            long skipLines = 0;
            long pos = 0;
            if (options.tail() >= 0) {
                int wanted = options.tail();
                first = sources.size();
                if (followed != null) {
                    Tail t = tailStart(followed.ch(), wanted, format);
                    pos = t.offset();
                    wanted -= t.lines();
                    first = before.size();
                }
                for (int i = before.size() - 1; i >= 0 && wanted > 0; i--) {
                    long lines = fullLines(before.get(i));
                    first = i;
                    pos = 0;
                    if (lines >= wanted) {
                        skipLines = lines - wanted;
                        wanted = 0;
                    } else {
                        wanted -= (int) lines;
                    }
                }
            }
            for (int i = first; i < before.size(); i++) {
                RecordSink into = i == first && skipLines > 0 ? skipping(skipLines, filtered) : filtered;
                if (!readWhole(before.get(i), times, into)) return;
            }
            if (followed == null && (!options.follow() || !running.getAsBoolean())) {
                caughtUp.run();
                return;
            }
            follow(followed, first < before.size() ? 0 : pos, rotations[0], options.follow(), times, filtered, caughtUp);
        } catch (IOException e) {
            throw new SystemFailureException("reading log " + files.current() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Source s : sources) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a read-only file
                }
            }
        }
    }

    /** The files as they are now, opened under the rotation lock so that no rename moves one between list and open. */
    private List<Source> open(long[] rotations) {
        List<Source> out = new ArrayList<>();
        synchronized (files.lock()) {
            rotations[0] = files.lock().rotations;
            try {
                for (LogFiles.Rotated r : files.rotated()) {
                    Plain p = openPlain(r.path());
                    if (p != null) out.add(r.compressed() ? new Gzip(p.ch()) : p);
                }
                Plain current = openPlain(files.current());
                if (current != null) out.add(current);
            } catch (IOException e) {
                for (Source s : out) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // read-only
                    }
                }
                throw new SystemFailureException("opening log " + files.current() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Plain openPlain(Path p) throws IOException {
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            return new Plain(ch, Files.readAttributes(p, BasicFileAttributes.class).fileKey());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Reads {@code f} from {@code pos}, and when following, polls it; when the current file's name holds another
     * file (a rotation), reads {@code f} to its end, then the files rotated after it (more than one rotation may
     * happen between two polls when berthd writes the file: {@code rotations} counts them), and goes on with the
     * new one from its start.
     */
    private void follow(Plain f, long pos, long rotations, boolean follow, LogTimeParser times, RecordSink sink,
                        Runnable caughtUp) throws IOException, InterruptedException {
        Plain opened = null;
        LogDirectoryWatcher watcher = LogDirectoryWatcher.shared();
        Thread self = Thread.currentThread();
        int watch = -1;
        try {
            while (true) {
                // armed before the read: a line written after the read wakes the sleep below at once
                if (follow) watch = watcher.arm(files.current().getParent(), self);
                boolean wasRunning = running.getAsBoolean();
                if (f != null) {
                    if (f.ch().size() < pos) pos = 0; // truncated by hand
                    long end = readMapped(f.ch(), pos, times, sink);
                    if (end < 0) return;
                    pos = end;
                }
                caughtUp.run();
                if (!follow || !wasRunning) return;
                // until the next change in the log's directory; a look after 100 ms remains for the container's end,
                // which no change there announces for every driver
                LockSupport.parkNanos(lookNanos);
                if (Thread.interrupted()) throw new InterruptedException();
                Object key = currentKey();
                if (key != null && (f == null || !key.equals(f.key()))) {
                    if (f != null && readMapped(f.ch(), pos, times, sink) < 0) return;
                    if (opened != null) opened.close();
                    List<Source> missed = new ArrayList<>();
                    synchronized (files.lock()) {
                        long now = files.lock().rotations;
                        // f is now rotated file number (now - rotations); those below it came after it
                        for (long n = f == null ? 0 : now - rotations - 1; n >= 1; n--) {
                            Plain gz = openPlain(files.rotatedPath((int) n, true));
                            Plain plain = gz != null ? null : openPlain(files.rotatedPath((int) n, false));
                            if (gz != null) missed.add(new Gzip(gz.ch()));
                            else if (plain != null) missed.add(plain);
                        }
                        opened = openPlain(files.current());
                        rotations = now;
                    }
                    try {
                        for (Source s : missed) {
                            if (!readWhole(s, times, sink)) return;
                        }
                    } finally {
                        for (Source s : missed) s.close();
                    }
                    f = opened;
                    pos = 0;
                }
            }
        } finally {
            watcher.disarm(watch, self);
            if (opened != null) opened.close();
        }
    }

    private Object currentKey() {
        try {
            return Files.readAttributes(files.current(), BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // between a rotation's rename and conmon's reopen
        }
    }

    private boolean readWhole(Source s, LogTimeParser times, RecordSink sink) throws IOException {
        return switch (s) {
            case Plain p -> readMapped(p.ch(), 0, times, sink) >= 0;
            case Gzip g -> readStream(g, times, sink);
        };
    }

    /** The number of full lines in a rotated file (for a tail that reaches into it). */
    private long fullLines(Source s) throws IOException {
        long[] n = {0};
        readWhole(s, new LogTimeParser(false), (stream, nanos, data, off, len, partial) -> {
            if (!partial) n[0]++;
            return true;
        });
        return n[0];
    }

    /** Drops records until {@code lines} full lines have passed. */
    private static RecordSink skipping(long lines, RecordSink sink) {
        long[] left = {lines};
        return (stream, nanos, data, off, len, partial) -> {
            if (left[0] > 0) {
                if (!partial) left[0]--;
                return true;
            }
            return sink.accept(stream, nanos, data, off, len, partial);
        };
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    record Tail(long offset, int lines) {}

    /**
     * The offset where the last {@code lines} full lines begin, found from the end: a line is its full record
     * and the partial records before it, so the tail starts after the full record that precedes them (or at 0,
     * with the number of lines found when the file has fewer). A record still being written (no newline yet)
     * counts for nothing.
     */
    static Tail tailStart(FileChannel ch, int lines) throws IOException {
        return tailStart(ch, lines, LogFormat.K8S_FILE);
    }

    static Tail tailStart(FileChannel ch, int lines, LogFormat format) throws IOException {
        if (lines == 0) return new Tail(ch.size(), 0);
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
                if (newer >= 0 && format.isFullRecord(ch, at + 1, newer) && ++full > lines) return new Tail(newer + 1, lines);
                newer = at;
            }
        }
        if (newer >= 0 && format.isFullRecord(ch, 0, newer) && ++full > lines) return new Tail(newer + 1, lines);
        return new Tail(0, full);
    }

    static boolean isFullK8sRecord(FileChannel ch, long start) throws IOException {
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
     * Delivers the complete records from {@code pos}, a mapped window at a time; returns the offset after the last
     * one, or -1 when the sink asked to stop.
     */
    private long readMapped(FileChannel ch, long pos, LogTimeParser times, RecordSink sink) throws IOException {
        long window = WINDOW;
        while (true) {
            long size = ch.size();
            if (pos >= size) return pos;
            long len = Math.min(window, size - pos);
            long used;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, pos, len, arena);
                used = format.deliverAll(seg, len, times, sink);
            } catch (InternalError e) {
                // the file was truncated under the mapping (by hand: conmon and berth only append and rename)
                return pos;
            }
            if (used < 0) return -1;
            if (used == 0) {
                if (len == size - pos) return pos; // a record still being written
                window *= 2; // a record longer than a window (not one conmon writes)
            }
            pos += used;
        }
    }

    /** Decompresses a rotated file a block at a time and delivers its records. */
    private boolean readStream(Gzip g, LogTimeParser times, RecordSink sink) throws IOException {
        try (InputStream in = g.open()) {
            byte[] buf = new byte[BLOCK];
            int len = 0;
            while (true) {
                if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) return true;
                len += n;
                long used = format.deliverAll(MemorySegment.ofArray(buf), len, times, sink);
                if (used < 0) return false;
                System.arraycopy(buf, (int) used, buf, 0, len - (int) used);
                len -= (int) used;
            }
        }
    }

    /** Delivers the complete records in {@code seg[0, len)}; returns the bytes they take, or -1 when told to stop. */
    static long deliverK8s(MemorySegment seg, long len, LogTimeParser times, RecordSink sink) {
        if (!times.enabled() && sink instanceof CopySink copy) return LogDataCopier.copyAll(seg, len, copy);
        long start = 0;
        while (true) {
            long i = indexOfNewline(seg, dataStart(seg, start, len), len);
            if (i < 0) return start;
            if (!deliver(seg, start, i, times, sink)) return -1;
            start = i + 1;
        }
    }

    /**
     * Where the search for a record's newline may begin: after its fields when they sit where conmon puts them
     * ({@code <35-byte time> <stdout|stderr> <F|P> }), since conmon writes those itself (the container's bytes
     * come only after them) and so they hold no newline; at the record's start otherwise. A third of each record
     * of a typical log is its fields, and finding newlines is most of a read's work.
     */
    private static long dataStart(MemorySegment seg, long start, long len) {
        long data = start + CONMON_FIELDS;
        if (data > len) return start;
        byte tag = at(seg, start + CONMON_TIME_LENGTH + 8);
        return at(seg, start + CONMON_TIME_LENGTH) == ' ' && at(seg, start + CONMON_TIME_LENGTH + 7) == ' '
                && (tag == 'F' || tag == 'P') && at(seg, data - 1) == ' ' ? data : start;
    }

    /** Parses one record {@code <time> <stream> <tag> <data>} in {@code line[from, to)}, to being its newline. */
    static boolean deliver(MemorySegment line, long from, long to, LogTimeParser times, RecordSink sink) {
        long s1 = spaceAt(line, from + CONMON_TIME_LENGTH, from, to);
        if (s1 < 0) return true;
        long s2 = spaceAt(line, s1 + 7, s1 + 1, to); // " stdout " or " stderr "
        if (s2 < 0) return true;
        long s3 = spaceAt(line, s2 + 2, s2 + 1, to); // " F " or " P "
        long nanos = times.parse(line, from, s1);
        if (nanos == LogTimeParser.INVALID) return true;
        boolean stderr = s2 - s1 - 1 == 6 && at(line, s1 + 4) == 'e'; // "stderr", not "stdout"
        boolean partial = (s3 < 0 ? to : s3) > s2 + 1 && at(line, s2 + 1) == 'P';
        long dataFrom = s3 < 0 ? to : s3 + 1;
        long dataTo = partial ? to : to + 1; // a full line keeps its newline
        return sink.accept(stderr ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT, nanos, line, dataFrom,
                (int) (dataTo - dataFrom), partial);
    }

    /** One record as an entry, or null if it is not one; {@code line} holds it without its newline. */
    static LogEntry parse(byte[] line) {
        byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        LogEntry[] parsed = {null};
        deliver(MemorySegment.ofArray(withNewline), 0, line.length, new LogTimeParser(true), (stream, nanos, data, off, len, partial) -> {
            parsed[0] = new LogEntry(Instant.ofEpochSecond(0, nanos), stream, data.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), partial);
            return true;
        });
        return parsed[0];
    }

    /** The space at {@code expected} when it is one (the usual record), else the first space in {@code [from, to)}. */
    private static long spaceAt(MemorySegment line, long expected, long from, long to) {
        if (expected < to && at(line, expected) == ' ') return expected;
        for (long i = from; i < to; i++) if (at(line, i) == ' ') return i;
        return -1;
    }

    private static byte at(MemorySegment s, long i) {
        return s.get(ValueLayout.JAVA_BYTE, i);
    }

    /**
     * The first newline in {@code b[from, to)}, or -1; eight bytes at a time (a byte equal to '\n' becomes a zero
     * byte after the xor, and the lowest zero byte of a word is found exactly by the borrow trick). Finding the
     * end of each record is most of a log read's work: byte by byte it took 3x as long.
     */
    static long indexOfNewline(MemorySegment b, long from, long to) {
        long i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = b.get(LONG_LE, i) ^ NEWLINES;
            long zeros = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
        }
        for (; i < to; i++) {
            if (at(b, i) == '\n') return i;
        }
        return -1;
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == b) return i;
        return -1;
    }
}
