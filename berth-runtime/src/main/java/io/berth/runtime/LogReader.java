package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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

    private static final long POLL_MS = 100;

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
        try {
            long pos = 0;
            if (Files.exists(file)) {
                Deque<LogEntry> tailBuf = new ArrayDeque<>();
                List<LogEntry> first = new ArrayList<>();
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                    pos = readFrom(raf, 0, e -> {
                        if (!matches(e, options)) return true;
                        if (options.tail() >= 0) {
                            tailBuf.addLast(e);
                            trimTail(tailBuf, options.tail());
                        } else {
                            first.add(e);
                        }
                        return true;
                    });
                }
                for (LogEntry e : options.tail() >= 0 ? tailBuf : first) {
                    if (!sink.test(e)) return;
                }
            }
            if (!options.follow()) return;
            boolean[] stop = {false};
            while (!stop[0] && !Thread.currentThread().isInterrupted()) {
                boolean wasRunning = running.getAsBoolean();
                if (Files.exists(file)) {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                        if (raf.length() < pos) pos = 0;
                        pos = readFrom(raf, pos, e -> {
                            if (options.until() != null && !e.time().isBefore(options.until())) {
                                stop[0] = true;
                                return false;
                            }
                            if (!matches(e, options)) return true;
                            if (!sink.test(e)) {
                                stop[0] = true;
                                return false;
                            }
                            return true;
                        });
                    }
                }
                if (!wasRunning) return;
                Thread.sleep(POLL_MS);
            }
        } catch (IOException e) {
            throw new SystemFailureException("reading log " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void trimTail(Deque<LogEntry> buf, int tail) {
        int full = 0;
        for (LogEntry e : buf) if (!e.partial()) full++;
        while (full > tail && !buf.isEmpty()) {
            LogEntry dropped = buf.removeFirst();
            if (!dropped.partial()) full--;
        }
        if (tail == 0) buf.clear();
    }

    private static boolean matches(LogEntry e, Options o) {
        if (o.since() != null && e.time().isBefore(o.since())) return false;
        return o.until() == null || e.time().isBefore(o.until());
    }

    /** Parses complete lines from {@code pos}; returns the offset after the last complete line. */
    private static long readFrom(RandomAccessFile raf, long pos, Predicate<LogEntry> sink) throws IOException {
        raf.seek(pos);
        byte[] chunk = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long consumed = pos;
        long offset = pos;
        int n;
        while ((n = raf.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                offset++;
                if (chunk[i] == '\n') {
                    LogEntry e = parse(line.toByteArray());
                    line.reset();
                    consumed = offset;
                    if (e != null && !sink.test(e)) return consumed;
                } else {
                    line.write(chunk[i]);
                }
            }
        }
        return consumed;
    }

    static LogEntry parse(byte[] line) {
        int s1 = indexOf(line, (byte) ' ', 0);
        if (s1 < 0) return null;
        int s2 = indexOf(line, (byte) ' ', s1 + 1);
        if (s2 < 0) return null;
        int s3 = indexOf(line, (byte) ' ', s2 + 1);
        int tagEnd = s3 < 0 ? line.length : s3;
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, 0, s1, StandardCharsets.US_ASCII)).toInstant();
        } catch (RuntimeException ex) {
            return null;
        }
        String stream = new String(line, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII);
        boolean partial = new String(line, s2 + 1, tagEnd - s2 - 1, StandardCharsets.US_ASCII).startsWith("P");
        byte[] data = s3 < 0 ? new byte[0] : Arrays.copyOfRange(line, s3 + 1, line.length);
        if (!partial) {
            data = Arrays.copyOf(data, data.length + 1);
            data[data.length - 1] = '\n';
        }
        return new LogEntry(time, stream.equals("stderr") ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT, data, partial);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }
}
