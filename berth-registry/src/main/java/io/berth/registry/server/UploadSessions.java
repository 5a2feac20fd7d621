package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Blob upload sessions. Life of a session: start (a directory under {@code uploads/} with an empty
 * {@code data} file) → append chunks in order (each streamed straight to disk; a chunk that fails half-way is
 * cut off again, so the session stays at its last good size) → finish with the expected digest (fsync, verify,
 * rename into the content store, link) or cancel. A blob becomes visible only at the rename, and a failed
 * verification deletes the session: nothing is left behind. Sessions live on disk, so they survive a restart;
 * the running sha256 kept in memory only saves re-reading the data at the end.
 */
public final class UploadSessions {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER = 256 * 1024;

    private final RegistryLayout layout;
    private final RegistryStorage storage;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    public UploadSessions(RegistryStorage storage) {
        this.storage = storage;
        this.layout = storage.layout();
    }

    /** One session; the lock serialises chunks sent concurrently to the same session. */
    static final class Session {
        final String uuid;
        final RepositoryName repository;
        final Path data;
        final ReentrantLock lock = new ReentrantLock();
        /** sha256 of data[0, size) when known; null after a failed chunk or a restart. */
        MessageDigest running;

        Session(String uuid, RepositoryName repository, Path data, MessageDigest running) {
            this.uuid = uuid;
            this.repository = repository;
            this.data = data;
            this.running = running;
        }

        long size() {
            try {
                return Files.size(data);
            } catch (IOException e) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + uuid + " is gone");
            }
        }
    }

    public String start(RepositoryName repository) {
        String uuid = UUID.randomUUID().toString();
        Path dir = layout.upload(uuid);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("repository"), repository.value());
            Files.createFile(dir.resolve("data"));
        } catch (IOException e) {
            throw new SystemFailureException("cannot start upload: " + e.getMessage(), e);
        }
        open.put(uuid, new Session(uuid, repository, dir.resolve("data"), newSha256()));
        return uuid;
    }

    Session session(RepositoryName repository, String uuid) {
        if (!UUID_TEXT.matcher(uuid).matches()) {
            throw unknown(uuid);
        }
        Session session = open.computeIfAbsent(uuid, this::load);
        if (session == null || !session.repository.equals(repository) || !Files.exists(session.data)) {
            throw unknown(uuid);
        }
        return session;
    }

    private Session load(String uuid) {
        Path dir = layout.upload(uuid);
        try {
            RepositoryName repo = new RepositoryName(Files.readString(dir.resolve("repository")).trim());
            return new Session(uuid, repo, dir.resolve("data"), null);
        } catch (IOException | RegistryException e) {
            return null;
        }
    }

    public long size(RepositoryName repository, String uuid) {
        return session(repository, uuid).size();
    }

    /**
     * Appends a chunk. {@code start} is where the client says the chunk begins (-1: append wherever the session
     * is); a chunk that does not begin exactly at the current end is refused with 416 and the current Range.
     * Returns the new size.
     */
    public long append(RepositoryName repository, String uuid, long start, RequestBody body) {
        Session session = session(repository, uuid);
        session.lock.lock();
        try {
            long size = session.size();
            if (start >= 0 && start != size) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                        "chunk starts at " + start + " but the upload has " + size + " bytes",
                        Map.of("Range", UploadRange.header(size), "Location", location(session),
                                "Docker-Upload-UUID", uuid));
            }
            MessageDigest running = session.running;
            session.running = null; // unknown until the chunk is whole
            try (FileChannel ch = FileChannel.open(session.data, StandardOpenOption.WRITE)) {
                ch.position(size);
                copy(body.stream(), ch, running);
                body.checkComplete();
            } catch (RuntimeException e) {
                truncate(session.data, size);
                throw e;
            } catch (IOException e) {
                truncate(session.data, size);
                throw new SystemFailureException("cannot write upload " + uuid + ": " + e.getMessage(), e);
            }
            session.running = running;
            return session.size();
        } finally {
            session.lock.unlock();
        }
    }

    /** Verifies the session's bytes against {@code expected}; on success the blob is stored and linked. */
    public void finish(RepositoryName repository, String uuid, Digest expected) {
        Session session = session(repository, uuid);
        session.lock.lock();
        try {
            Digest actual;
            try (FileChannel ch = FileChannel.open(session.data, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (session.running != null && expected.algorithm().equals(Digest.SHA256)) {
                actual = Digest.of(Digest.SHA256, ((MessageDigest) session.running.clone()).digest());
            } else {
                actual = hash(session.data, expected);
            }
            if (!actual.equals(expected)) {
                discard(session);
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "upload has digest " + actual + ", not " + expected);
            }
            storage.commitBlob(repository, session.data, expected);
            discard(session);
        } catch (IOException | CloneNotSupportedException e) {
            throw new SystemFailureException("cannot finish upload " + uuid + ": " + e.getMessage(), e);
        } finally {
            session.lock.unlock();
        }
    }

    public void cancel(RepositoryName repository, String uuid) {
        Session session = session(repository, uuid);
        session.lock.lock();
        try {
            discard(session);
        } finally {
            session.lock.unlock();
        }
    }

    private void discard(Session session) {
        open.remove(session.uuid);
        DurableFiles.deleteTree(layout.upload(session.uuid));
    }

    String location(Session session) {
        return location(session.repository, session.uuid);
    }

    static String location(RepositoryName repository, String uuid) {
        return "/v2/" + repository.value() + "/blobs/uploads/" + uuid;
    }

    private static void copy(InputStream in, FileChannel out, MessageDigest md) throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (md != null) {
                md.update(buf, 0, n);
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
    }

    private static void truncate(Path data, long size) {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (NoSuchFileException ignored) {
            // cancelled concurrently
        } catch (IOException e) {
            throw new SystemFailureException("cannot roll back upload chunk: " + e.getMessage(), e);
        }
    }

    private static Digest hash(Path file, Digest expected) throws IOException {
        MessageDigest md = expected.newMessageDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Digest.of(expected.algorithm(), md.digest());
    }

    private static MessageDigest newSha256() {
        return new Digest(Digest.SHA256, "0".repeat(64)).newMessageDigest();
    }

    private static RegistryException unknown(String uuid) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + uuid + " is not known");
    }
}
