package io.berth.store;

import io.berth.linux.AtomicFile;
import io.berth.oci.Digest;
import io.berth.oci.DigestingInputStream;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Blobs addressed by digest, under {@code <root>/blobs/<algorithm>/<hex>} (layout: {@link StoreLayout}).
 * <p>
 * Life of a blob: ingest (stream into {@code .tmp-<random>} in the blob directory while hashing) → fsync →
 * verify the digest → rename to {@code <hex>} (atomic; the directory is fsynced) → read by digest → deleted by
 * the {@link GarbageCollector} once nothing references it and no {@link Lease} holds it. A blob is therefore whole or absent. Concurrent puts of the same content each write
 * their own temp file and the renames replace identical bytes, so they are safe without locks.
 * <p>
 * A file that is already complete on disk (a finished download) is taken over with {@link #adopt} or
 * {@link #adoptVerified} instead: it is renamed to a temp name in the blob directory (so nobody else can still
 * be writing it), fsynced, verified, and renamed to {@code <hex>}; its bytes are never copied.
 */
public final class ContentStore {
    private final StoreLayout layout;
    private final Leases leases;

    /** A content store with leases of its own (a store no collector sweeps, e.g. the registry server's). */
    public ContentStore(Path root) {
        this(root, new Leases());
    }

    /** A content store whose commits and look-ups are recorded in {@code leases} (see {@link Leases}). */
    public ContentStore(Path root, Leases leases) {
        this.layout = new StoreLayout(root);
        this.leases = leases;
        try {
            Files.createDirectories(layout.blobsDir());
        } catch (IOException e) {
            throw new SystemFailureException("cannot create " + layout.blobsDir() + ": " + e.getMessage(), e);
        }
    }

    /** Stores the stream's bytes and returns their sha256 digest. */
    public Digest put(InputStream in) {
        return ingest(in, null);
    }

    /** Stores {@code bytes}; returns their digest. */
    public Digest put(byte[] bytes) {
        return ingest(new java.io.ByteArrayInputStream(bytes), null);
    }

    /**
     * Stores the stream's bytes if they hash to {@code expected}; otherwise throws
     * {@link InvalidArgumentException} and leaves nothing behind.
     */
    public void putVerified(InputStream in, Digest expected) {
        ingest(in, expected);
    }

    /**
     * Moves {@code file} into the store as the blob {@code expected}, reading it once to check its digest. On a
     * mismatch the file is deleted and {@link InvalidArgumentException} names both digests; if the blob is
     * already stored the file is just deleted. {@code file} should be on the store's filesystem (e.g. under the
     * store root): then it is renamed, never copied; elsewhere it is copied into the blob directory first.
     */
    public void adopt(Path file, Digest expected) {
        adoptFile(file, expected, true);
    }

    /**
     * Like {@link #adopt} but trusts {@code digest} without reading the file: only the fsync and the atomic
     * rename happen here. Trust boundary: the caller must have computed {@code digest} over exactly the bytes
     * the file holds (typically by hashing while writing it, including any prefix it resumed from) and must no
     * longer write to it. A wrong digest would store bytes under a name they do not hash to, which nothing
     * later re-checks.
     */
    public void adoptVerified(Path file, Digest digest) {
        adoptFile(file, digest, false);
    }

    private void adoptFile(Path file, Digest expected, boolean verify) {
        Path dir = layout.root().resolve("blobs").resolve(expected.algorithm());
        Path tmp = tempName(dir);
        try {
            Files.createDirectories(dir);
            try {
                // Taking the file under a private name first means a concurrent adopt of the same path fails
                // cleanly instead of both renaming, and a crash leaves a .tmp- file that removeLeftovers sweeps.
                Files.move(file, tmp, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, tmp);
            } catch (NoSuchFileException e) {
                throw new NotFoundException("cannot adopt " + file + " as blob " + expected + ": no such file");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.force(true);
                if (verify) {
                    Digest actual = digestOf(ch, expected);
                    if (!expected.equals(actual)) {
                        throw new InvalidArgumentException("blob digest mismatch: expected " + expected + ", got "
                                + actual + " (file " + file + " deleted)");
                    }
                }
            }
            commit(tmp, expected, dir);
        } catch (IOException e) {
            throw new SystemFailureException("cannot adopt " + file + " as blob " + expected + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temp name is random and swept by removeLeftovers
            }
        }
    }

    private static Digest digestOf(FileChannel ch, Digest expected) throws IOException {
        MessageDigest md = expected.newMessageDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        ch.position(0);
        while (ch.read(buffer) >= 0) {
            buffer.flip();
            md.update(buffer);
            buffer.clear();
        }
        return Digest.of(expected.algorithm(), md.digest());
    }

    private static Path tempName(Path dir) {
        return dir.resolve(".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(System.nanoTime()));
    }

    private Digest ingest(InputStream in, Digest expected) {
        String algorithm = expected == null ? Digest.SHA256 : expected.algorithm();
        Path dir = layout.root().resolve("blobs").resolve(algorithm);
        Path tmp = tempName(dir);
        try {
            Files.createDirectories(dir);
            Digest actual;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                DigestingInputStream digesting = new DigestingInputStream(in, algorithm);
                OutputStream out = Channels.newOutputStream(ch);
                digesting.transferTo(out);
                out.flush();
                ch.force(true);
                actual = digesting.digest();
            }
            if (expected != null && !expected.equals(actual)) {
                throw new InvalidArgumentException("blob digest mismatch: expected " + expected + ", got " + actual);
            }
            commit(tmp, actual, dir);
            return actual;
        } catch (IOException e) {
            throw new SystemFailureException("cannot store blob: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temp name is random and swept by removeLeftovers
            }
        }
    }

    /**
     * Renames a verified temp file to its blob name (unless the blob is there already) and records the digest in
     * the open leases, as one step for the collector.
     */
    private void commit(Path tmp, Digest digest, Path dir) throws IOException {
        IOException failed = leases.committing(() -> {
            try {
                leases.touchBlob(digest);
                if (!Files.isRegularFile(layout.blob(digest))) {
                    Files.move(tmp, layout.blob(digest), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    AtomicFile.syncDirectory(dir);
                }
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        if (failed != null) {
            throw failed;
        }
    }

    /** Whether the blob is stored; a caller that goes on to use it is covered by its open lease from here on. */
    public boolean has(Digest digest) {
        leases.touchBlob(digest);
        return Files.isRegularFile(layout.blob(digest));
    }

    /** The leases this store records its commits in. */
    public Leases leases() {
        return leases;
    }

    /** Opens the blob for reading; {@link NotFoundException} if absent. */
    public InputStream open(Digest digest) {
        leases.touchBlob(digest);
        try {
            return Files.newInputStream(layout.blob(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " not found");
        } catch (IOException e) {
            throw new SystemFailureException("cannot open blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Reads a small blob (manifest, config) completely. */
    public byte[] read(Digest digest) {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SystemFailureException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public long size(Digest digest) {
        try {
            return Files.size(layout.blob(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " not found");
        } catch (IOException e) {
            throw new SystemFailureException("cannot stat blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Where the blob lives (it may not exist). Treat the file as read-only. */
    public Path path(Digest digest) {
        return layout.blob(digest);
    }

    /** Deletes the blob; deleting an absent blob is not an error. */
    public void delete(Digest digest) {
        try {
            Files.deleteIfExists(layout.blob(digest));
        } catch (IOException e) {
            throw new SystemFailureException("cannot delete blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** All stored sha256 blobs. */
    public List<Digest> list() {
        try (Stream<Path> files = Files.list(layout.blobsDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .filter(hex -> Digest.isValid(Digest.SHA256 + ":" + hex))
                    .map(hex -> new Digest(Digest.SHA256, hex))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list blobs: " + e.getMessage(), e);
        }
    }

    /** Removes temp files a crash left behind; call at startup, before any put. */
    public void removeLeftovers() {
        try (Stream<Path> files = Files.list(layout.blobsDir())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot clean " + layout.blobsDir() + ": " + e.getMessage(), e);
        }
    }
}
