package io.berth.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns one container's conmon spool (k8s-file records on the exec root's tmpfs) into its json-file log, on a thread
 * of its own, so that nothing is lost or written twice whatever happens to berthd:
 * <pre>
 * EXEC-ROOT/containers/&lt;id&gt;/log.spool       conmon writes here (-l k8s-file:...); never blocks, never loses
 *                          log.spool.1     the spool before the last reopen, read to its end then deleted
 *                          log.spool.pos   checkpoint: spool inode, offset read, json size written (24 bytes)
 * DATA-ROOT/containers/&lt;id&gt;/&lt;id&gt;-json.log   Docker's file, rotated as &lt;id&gt;-json.log.1[.gz] ...
 * </pre>
 * The checkpoint is written after each batch reached the json file. A berthd killed between the two leaves lines in
 * the json file past the checkpoint's size: on resume they are counted, the same number of spool records skipped,
 * and a torn last line (killed mid-write) cut off, so each record is in the file exactly once. A full disk fails a
 * batch: the file is cut back to its last good size and the batch retried a second later, while conmon keeps
 * spooling. The spool is rotated through conmon's reopen (ctl message 2) once {@link #SPOOL_ROTATE} of it is read,
 * so it holds little more than what berthd has yet to read.
 */
final class JsonLogCopier {
    private static final Logger LOG = Logger.getLogger(JsonLogCopier.class.getName());
    static final long SPOOL_ROTATE = 8L * 1024 * 1024;
    private static final long WINDOW = 8L * 1024 * 1024;
    /** Output is written in batches of about this size. */
    private static final int BATCH = 1024 * 1024;
    /** conmon's records hold at most one read of 8 KiB; a longer one is no record of its. */
    private static final long MAX_RECORD = 64 * 1024;
    /**
     * How long a copier that has caught up sleeps between looks at the spool when it cannot have the
     * {@link LogDirectoryWatcher} wake it; a {@link #drain} does not wait for it.
     */
    static final Duration IDLE = Duration.ofMillis(20);
    /**
     * How long it sleeps when the watcher wakes it at conmon's next write: a last resort, since every write and every
     * lost event wakes it. Only a reopen request a killed berthd never sent is announced by no write; a copier waiting
     * to send it ({@link #askReopenIfNeverAsked}) looks again after {@link #REOPEN_WAIT_NANOS}.
     */
    static final Duration WATCHED_IDLE = Duration.ofSeconds(30);
    /** The buffers batches are converted into, shared by all copiers. */
    static final LogBatches BATCHES = new LogBatches(BATCH + JsonLogLines.maxLength(MAX_RECORD), LogBatches.SPARES);
    private static final long RETRY_MS = 1000;
    private static final byte[] REOPEN = "2 0 0\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * How long .1 may be conmon's file with no new spool before the reopen is asked for again: conmon reads its ctl
     * FIFO within milliseconds, so a request still queued there has been read by then, and none was sent (berthd
     * killed between its rename and its request). A second request read after the first would replace the new spool.
     */
    private static final long REOPEN_WAIT_NANOS = Duration.ofSeconds(2).toNanos();

    private final Path spool;
    private final Path spoolOld;
    private final Path checkpointFile;
    private final Path ctlFifo;
    private final LogFiles json;
    private final LogSettings settings;
    private final BooleanSupplier conmonAlive;
    private final LogDirectoryWatcher watcher;
    private final Duration idle;
    private final Duration watchedIdle;

    private final LogTimeParser times = new LogTimeParser(true);
    private final JsonLogLines.TimeFormat timeFormat = new JsonLogLines.TimeFormat();
    /** conmon's time of the records converted last, and what follows their data in each stream's lines. */
    private final MemorySegment lastK8sTime = MemorySegment.ofArray(new byte[LogDataCopier.TIME_LENGTH]);
    private boolean timeCached;
    private final MemorySegment stdoutSuffix = MemorySegment.ofArray(new byte[JsonLogLines.MAX_SUFFIX]);
    private final MemorySegment stderrSuffix = MemorySegment.ofArray(new byte[JsonLogLines.MAX_SUFFIX]);
    private int suffixLength;
    /** Lent by {@link #BATCHES} while {@link #copy} converts, else null. */
    private MemorySegment batch;
    private long batchFill;

    private FileChannel out;
    private long jsonSize;
    private long ino;
    private long off;
    /** Records of the checkpointed spool already in the json file (found on resume). */
    private long skipRecords;
    /** The spool offset of the window being converted. */
    private long windowStart;

    private Thread thread;
    private volatile boolean stopping;
    private long passes;
    /** Guarded by this: the pass count a {@link #drain} waits for; the thread runs passes back to back until then. */
    private long wantedPasses;
    private boolean failing;
    /** This copier asked conmon to reopen since .1 was last finished. */
    private boolean askedReopen;
    /** When this copier first found .1 without a new spool while conmon lives; 0 when it has not. */
    private long orphanSince;

    JsonLogCopier(ContainerPaths paths, LogFiles json, LogSettings settings, BooleanSupplier conmonAlive) {
        this(paths, json, settings, conmonAlive, LogDirectoryWatcher.shared(), IDLE, WATCHED_IDLE);
    }

    /** With {@code idle} for both sleeps (tests). */
    JsonLogCopier(ContainerPaths paths, LogFiles json, LogSettings settings, BooleanSupplier conmonAlive, Duration idle) {
        this(paths, json, settings, conmonAlive, LogDirectoryWatcher.shared(), idle, idle);
    }

    JsonLogCopier(ContainerPaths paths, LogFiles json, LogSettings settings, BooleanSupplier conmonAlive,
                  LogDirectoryWatcher watcher, Duration idle, Duration watchedIdle) {
        this.watcher = watcher;
        this.idle = idle;
        this.watchedIdle = watchedIdle;
        this.spool = paths.spoolFile();
        this.spoolOld = spool.resolveSibling(spool.getFileName() + ".1");
        this.checkpointFile = paths.spoolCheckpoint();
        this.ctlFifo = paths.ctlFifo();
        this.json = json;
        this.settings = settings;
        this.conmonAlive = conmonAlive;
    }

    synchronized void start() {
        if (thread != null) return;
        thread = Thread.ofVirtual().name("json-log " + json.current().getFileName()).start(this::run);
    }

    /**
     * Waits until everything the spool held when called is in the json file (conmon has written a container's last
     * output before its exit file, so after an exit this is the whole log); false when that took longer than
     * {@code timeout} (a full disk), so that no caller is wedged by one.
     */
    boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long target = passes + 2; // the pass under way may have started before the call
            // the thread runs the passes back to back: one unpark only ends one idle sleep, and the second pass
            // then waited for the idle interval (20 ms on every container's exit, on `docker run`'s path)
            wantedPasses = Math.max(wantedPasses, target);
            LockSupport.unpark(thread);
            while (passes < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || thread == null || !thread.isAlive()) return false;
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The passes made so far (a pass looks at the spool files and copies what they hold). */
    synchronized long passes() {
        return passes;
    }

    /** Stops the thread; what it has not copied stays in the spool for the next copier. */
    void stop() {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) return;
        LockSupport.unpark(t);
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the container's end: the spool and its checkpoint go, the next run starts a new one. */
    void removeSpool() throws IOException {
        Files.deleteIfExists(spoolOld);
        Files.deleteIfExists(spool);
        Files.deleteIfExists(checkpointFile);
    }

    private void run() {
        int watch = -1; // the watch armed last, spent or not
        try {
            boolean resumed = false;
            boolean armed = false; // since this copier last slept
            while (!stopping) {
                boolean progressed = false;
                try {
                    if (!resumed) {
                        resume();
                        resumed = true;
                    }
                    progressed = pass();
                    if (failing) LOG.info("writing " + json.current() + " again");
                    failing = false;
                } catch (IOException | RuntimeException e) {
                    if (!failing) LOG.log(Level.WARNING, "copying the log of " + json.current() + ": " + e.getMessage(), e);
                    failing = true;
                    closeOut();
                    resumed = false; // the file is cut back to the checkpoint's size
                    LockSupport.parkNanos(Duration.ofMillis(RETRY_MS).toNanos());
                    continue;
                }
                boolean wanted;
                synchronized (this) {
                    passes++;
                    notifyAll();
                    wanted = passes < wantedPasses;
                }
                if (progressed || wanted) {
                    armed = false; // the write that came may have spent the watch
                    continue;
                }
                if (!armed) {
                    watch = watcher.arm(spool.getParent(), Thread.currentThread());
                    armed = watch >= 0;
                    if (armed) continue; // one more pass: what conmon wrote before the watch was in place
                }
                LockSupport.parkNanos(!armed ? idle.toNanos()
                        : orphanSince != 0 ? Math.min(REOPEN_WAIT_NANOS, watchedIdle.toNanos()) : watchedIdle.toNanos());
                armed = false;
            }
        } finally {
            watcher.disarm(watch, Thread.currentThread());
            closeOut();
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void closeOut() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // reopened on resume
        }
        out = null;
    }

    // ---------------------------------------------------------------------------------------------- resume

    private void resume() throws IOException {
        batchFill = 0;
        skipRecords = 0;
        openOut();
        long actual = out.size();
        long[] ck = readCheckpoint();
        if (ck == null) {
            ino = 0;
            off = 0;
            jsonSize = lastLineEnd(0, actual);
        } else {
            ino = ck[0];
            off = ck[1];
            long written = ck[2];
            if (actual > written) {
                long end = lastLineEnd(written, actual);
                skipRecords = countLines(written, end);
                jsonSize = end;
            } else {
                jsonSize = actual; // rotated after the checkpoint (or cut by hand): nothing past it yet
            }
        }
        if (out.size() > jsonSize) out.truncate(jsonSize);
        writeCheckpoint();
    }

    private void openOut() throws IOException {
        closeOut();
        out = FileChannel.open(json.current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            Files.setPosixFilePermissions(json.current(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /** The end of the last complete line in {@code [from, to)} of the json file, or {@code from}. */
    private long lastLineEnd(long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long end = to;
        while (end > from) {
            int n = (int) Math.min(b.capacity(), end - from);
            b.clear().limit(n);
            LogFormat.readFully(out, b, end - n);
            for (int i = n - 1; i >= 0; i--) if (b.get(i) == '\n') return end - n + i + 1;
            end -= n;
        }
        return from;
    }

    private long countLines(long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long n = 0;
        for (long at = from; at < to; ) {
            int len = (int) Math.min(b.capacity(), to - at);
            b.clear().limit(len);
            LogFormat.readFully(out, b, at);
            for (int i = 0; i < len; i++) if (b.get(i) == '\n') n++;
            at += len;
        }
        return n;
    }

    private long[] readCheckpoint() throws IOException {
        try {
            byte[] b = Files.readAllBytes(checkpointFile);
            if (b.length != 24) return null;
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new long[]{bb.getLong(), bb.getLong(), bb.getLong()};
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** One write of 24 bytes on tmpfs: a killed berthd leaves the old checkpoint or the new one. */
    private void writeCheckpoint() throws IOException {
        try (FileChannel ch = FileChannel.open(checkpointFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.allocate(24).putLong(ino).putLong(off).putLong(jsonSize).flip();
            while (bb.hasRemaining()) ch.write(bb, bb.position());
        }
    }

    // ---------------------------------------------------------------------------------------------- copying

    /** Copies what the spool files hold; true when anything was copied or switched. */
    private boolean pass() throws IOException {
        boolean progressed = false;
        if (Files.exists(spoolOld)) {
            long oldIno = inode(spoolOld);
            long curIno = Files.exists(spool) ? inode(spool) : -1;
            if (oldIno != ino && curIno == ino) {
                Files.deleteIfExists(spoolOld); // read to its end before a kill; the checkpoint moved on already
            } else {
                if (oldIno != ino) {
                    ino = oldIno;
                    off = 0;
                }
                progressed |= copy(spoolOld);
                if (curIno < 0 && conmonAlive.getAsBoolean()) { // conmon has not reopened yet
                    askReopenIfNeverAsked();
                    return progressed;
                }
                progressed |= copy(spoolOld); // conmon has let go of it: read to its very end
                ino = curIno < 0 ? 0 : curIno;
                off = 0;
                writeCheckpoint();
                Files.deleteIfExists(spoolOld);
                askedReopen = false;
                orphanSince = 0;
                progressed = true;
            }
        }
        if (!Files.exists(spool)) return progressed;
        long curIno = inode(spool);
        if (curIno != ino) {
            ino = curIno;
            off = 0;
            skipRecords = 0;
        }
        progressed |= copy(spool);
        // rotated once this much of it is read, caught up or not: what is left is read from .1, and the spool then
        // holds little more than what berthd has not read yet
        if (off >= SPOOL_ROTATE && Files.exists(ctlFifo) && conmonAlive.getAsBoolean()) {
            Files.move(spool, spoolOld, StandardCopyOption.ATOMIC_MOVE);
            askReopen();
            progressed = true;
        }
        return progressed;
    }

    private void askReopen() throws IOException {
        askedReopen = true;
        try (RandomAccessFile raf = new RandomAccessFile(ctlFifo.toFile(), "rw")) { // O_RDWR never blocks
            raf.write(REOPEN);
        }
    }

    /** The reopen a killed berthd never asked for (its rename done, its request not), or else conmon writes .1 forever. */
    private void askReopenIfNeverAsked() throws IOException {
        if (askedReopen || !Files.exists(ctlFifo)) return;
        long now = System.nanoTime();
        if (orphanSince == 0) {
            orphanSince = now;
        } else if (now - orphanSince >= REOPEN_WAIT_NANOS) {
            LOG.info("asking conmon to reopen " + spool + ": the request before berthd's restart was never sent");
            askReopen();
        }
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    /** Copies the complete records of {@code file} from {@link #off}; true when there were any. */
    private boolean copy(Path file) throws IOException {
        boolean any = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (off >= ch.size()) return false;
            batch = BATCHES.borrow(); // only while there is something to convert: most copiers wait most of the time
            try {
                while (!stopping) {
                    long size = ch.size();
                    if (off >= size) break;
                    long len = Math.min(WINDOW, size - off);
                    long used;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, off, len, arena);
                        windowStart = off;
                        used = convert(seg, len);
                    }
                    if (used == 0) break; // a record still being written
                    any = true;
                }
            } finally {
                BATCHES.giveBack(batch);
                batch = null;
                batchFill = 0; // convert flushed it, or failed: then the next try converts again from the checkpoint
            }
        } catch (NoSuchFileException e) {
            return any;
        }
        return any;
    }

    /** Converts the complete records of {@code seg[0, len)}, flushing as it goes; returns the bytes consumed. */
    private long convert(MemorySegment seg, long len) throws IOException {
        long start = 0;
        long maxSize = settings.maxSize();
        while (true) {
            long data = start + LogDataCopier.FIELDS;
            long nl = LogReader.indexOfNewline(seg, Math.min(data, len), len);
            if (nl < 0) {
                // no record of conmon's is this long: without this, a window holding no newline was mapped and
                // scanned again every pass, and nothing after it was ever copied
                if (len - start > LogDataCopier.FIELDS + MAX_RECORD) {
                    LOG.warning("skipping " + (len - start) + " bytes of a spool record of another shape than conmon's in " + spool);
                    start = len;
                }
                break;
            }
            if (data <= nl && nl - data <= MAX_RECORD && k8sShaped(seg, start) && suffixes(seg, start)) {
                boolean partial = seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.TIME_LENGTH + 8) == 'P';
                boolean stderr = seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.TIME_LENGTH + 4) == 'e';
                if (skipRecords > 0) {
                    // only records that make a line are counted off (the lines found past the checkpoint are theirs):
                    // counting a skipped malformed record too copied the last of them twice
                    skipRecords--;
                } else {
                    long dataTo = partial ? nl : nl + 1;
                    if (batchFill + JsonLogLines.maxLength(dataTo - data) > batch.byteSize()) flush(start);
                    if (maxSize > 0 && jsonSize + batchFill >= maxSize) {
                        flush(start);
                        rotate();
                    }
                    batchFill = JsonLogLines.encode(seg, data, dataTo, stderr ? stderrSuffix : stdoutSuffix, suffixLength,
                            batch, batchFill);
                    if (batchFill >= BATCH) flush(nl + 1);
                }
            } else {
                LOG.warning("skipping a spool record of another shape than conmon's in " + spool);
            }
            start = nl + 1;
        }
        flush(start);
        return start;
    }

    private boolean k8sShaped(MemorySegment seg, long start) {
        byte tag = seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.TIME_LENGTH + 8);
        return seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.TIME_LENGTH) == ' '
                && seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.TIME_LENGTH + 7) == ' '
                && (tag == 'F' || tag == 'P') && seg.get(ValueLayout.JAVA_BYTE, start + LogDataCopier.FIELDS - 1) == ' ';
    }

    /**
     * Makes the lines' suffixes for the record's time, unless it is the last record's: conmon gives every record
     * of one read the same time, so most records only compare it. False when the time is not one.
     */
    private boolean suffixes(MemorySegment seg, long start) {
        if (timeCached && MemorySegment.mismatch(seg, start, start + LogDataCopier.TIME_LENGTH, lastK8sTime, 0,
                LogDataCopier.TIME_LENGTH) < 0) return true;
        long nanos = times.parse(seg, start, start + LogDataCopier.TIME_LENGTH);
        if (nanos == LogTimeParser.INVALID) return false;
        MemorySegment.copy(seg, start, lastK8sTime, 0, LogDataCopier.TIME_LENGTH);
        int n = timeFormat.format(nanos);
        suffixLength = JsonLogLines.suffix(false, timeFormat.out, n, stdoutSuffix);
        JsonLogLines.suffix(true, timeFormat.out, n, stderrSuffix);
        timeCached = true;
        return true;
    }

    /**
     * Writes the batch, then the checkpoint: the spool up to {@code consumedInWindow} (in the window being converted)
     * is in the json file. On failure the file is cut back, and the batch is converted again by the next try.
     */
    private void flush(long consumedInWindow) throws IOException {
        if (batchFill > 0) {
            ByteBuffer bb = batch.asSlice(0, batchFill).asByteBuffer();
            try {
                while (bb.hasRemaining()) out.write(bb, jsonSize + bb.position());
            } catch (IOException e) {
                batchFill = 0;
                try {
                    out.truncate(jsonSize);
                } catch (IOException ignored) {
                    // the resume cuts it back to the checkpoint
                }
                throw e;
            }
            jsonSize += batchFill;
            batchFill = 0;
        }
        long consumed = windowStart + consumedInWindow;
        if (consumed == off) return;
        off = consumed;
        writeCheckpoint();
    }

    /** Moves the current file to .1 (the older ones up, those past max-file deleted) and starts a new one. */
    private void rotate() throws IOException {
        synchronized (json.lock()) {
            LogRotator.shiftAndMove(json, settings.maxFile());
            openOut();
        }
        jsonSize = 0;
        writeCheckpoint();
        LogRotator.finishRotated(json, settings);
    }
}
