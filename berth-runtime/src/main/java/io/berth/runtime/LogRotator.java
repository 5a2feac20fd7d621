package io.berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Rotates a running container's log at its driver's max-size while conmon writes it. conmon (2.1.6) can only
 * truncate its file; it can however reopen it on request (ctl message 2: it syncs, creates a new file under the
 * same name and closes the old one), so the rotation is berthd's and conmon only switches files:
 * <ol>
 * <li>shift the rotated files one number up, deleting what falls past max-file;</li>
 * <li>rename ctr.log to ctr.log.1: conmon keeps appending to the same inode, now named .1, so nothing is lost;</li>
 * <li>ask conmon to reopen; it creates a new ctr.log;</li>
 * <li>once ctr.log exists again (conmon has closed .1): compress .1 (into .1.gz.tmp, synced, renamed to .1.gz,
 *     then .1 deleted), or delete it when max-file is 1.</li>
 * </ol>
 * Each step is one rename or unlink, so a crash between two leaves files the reader reads in order, and the next
 * check finishes the job (step 4 runs for every plain rotated file whenever ctr.log exists). A reopen is asked
 * for only right after the rename that needs it: a second one would replace the new file with an empty one.
 * Rotation happens on a check, so a file can pass max-size by what the container writes between two checks.
 */
final class LogRotator {
    private static final Logger LOG = Logger.getLogger(LogRotator.class.getName());
    /** conmon's REOPEN_LOGS_EVENT on its ctl FIFO ("type height width"). */
    private static final byte[] REOPEN = "2 0 0\n".getBytes(StandardCharsets.US_ASCII);

    private LogRotator() {}

    /** Rotates when the current file reached max-size, and finishes earlier rotations. */
    static void check(LogFiles files, LogSettings settings, Path ctlFifo) {
        long maxSize = settings.maxSize();
        if (maxSize <= 0) return;
        try {
            if (!Files.exists(files.current())) return; // a reopen is pending (or conmon never started): wait for it
            finishRotated(files, settings);
            if (Files.size(files.current()) < maxSize) return;
            synchronized (files.lock()) {
                shift(files, settings.maxFile());
                Files.move(files.current(), files.rotatedPath(1, false), StandardCopyOption.ATOMIC_MOVE);
                files.lock().rotations++;
            }
            askReopen(ctlFifo);
        } catch (NoSuchFileException e) {
            // the container is being removed
        } catch (IOException e) {
            LOG.log(Level.WARNING, "rotating " + files.current() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A rotation of a file berthd writes itself (json-file): the rotated files move up and the current one becomes
     * .1, with no reopen to ask for. The caller holds the files' lock and creates the new current file.
     */
    static void shiftAndMove(LogFiles files, int maxFile) throws IOException {
        shift(files, maxFile);
        Files.move(files.current(), files.rotatedPath(1, false), StandardCopyOption.ATOMIC_MOVE);
        files.lock().rotations++;
    }

    /** Moves every rotated file one number up; those that would pass max-file - 1 are deleted. */
    private static void shift(LogFiles files, int maxFile) throws IOException {
        for (LogFiles.Rotated r : files.rotated()) { // oldest first, so no rename lands on a file still to move
            if (r.number() + 1 > maxFile - 1) {
                Files.deleteIfExists(r.path());
                if (r.compressed()) Files.deleteIfExists(files.rotatedPath(r.number(), false));
            } else {
                Files.move(r.path(), files.rotatedPath(r.number() + 1, r.compressed()), StandardCopyOption.ATOMIC_MOVE);
                // a plain twin of a complete .gz is a compression's leftover: its records are in the .gz
                if (r.compressed()) Files.deleteIfExists(files.rotatedPath(r.number(), false));
            }
        }
    }

    /** Step 4 for every plain rotated file; called only while the current file exists, so nobody writes them. */
    static void finishRotated(LogFiles files, LogSettings settings) throws IOException {
        for (LogFiles.Rotated r : files.rotated()) {
            Path plain = files.rotatedPath(r.number(), false);
            if (r.number() > settings.maxFile() - 1) {
                synchronized (files.lock()) {
                    Files.deleteIfExists(r.path());
                    Files.deleteIfExists(plain);
                }
            } else if (settings.compress() && Files.exists(plain)) {
                if (!r.compressed()) compress(plain, files.rotatedPath(r.number(), true));
                synchronized (files.lock()) {
                    Files.deleteIfExists(plain);
                }
            }
        }
    }

    private static void compress(Path plain, Path gz) throws IOException {
        Path tmp = gz.resolveSibling(gz.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(plain);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            try (OutputStream out = new GZIPOutputStream(Channels.newOutputStream(ch), 64 * 1024) {
                @Override
                public void close() throws IOException {
                    finish(); // the channel is synced and closed by the outer try
                    def.end();
                }
            }) {
                in.transferTo(out);
            }
            ch.force(true);
        }
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
    }

    /** O_RDWR never blocks on a FIFO, even when conmon is gone. */
    private static void askReopen(Path ctlFifo) throws IOException {
        if (!Files.exists(ctlFifo)) return;
        try (RandomAccessFile raf = new RandomAccessFile(ctlFifo.toFile(), "rw")) {
            raf.write(REOPEN);
        }
    }
}
