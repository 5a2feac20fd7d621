package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one blob into the content store, resumably.
 * <p>
 * Bytes go to {@code <partials>/<algorithm>-<hex>.partial}, which survives a failed or interrupted pull (and a
 * daemon restart). The next attempt asks only for the rest with {@code Range: bytes=<have>-}; a registry that
 * answers 200 instead of 206 sends everything again and the file starts over. Network failures are retried
 * (resuming) a few times.
 * <p>
 * The digest is computed while the bytes arrive (after first hashing the prefix a resumed file already holds),
 * so a complete file is verified without reading it again and then renamed into the content store with
 * {@link ContentStore#adoptVerified} (the partials directory is under the store root, on the same filesystem):
 * the blob is written once. A mismatch deletes the partial file, since resuming from bad bytes could never
 * succeed.
 */
final class BlobDownload {
    private static final int ATTEMPTS = 3;
    private static final int BUFFER = 1 << 17;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final RegistrySession session;
    private final ContentStore content;
    private final Path partials;

    BlobDownload(RegistrySession session, ContentStore content, Path partials) {
        this.session = session;
        this.content = content;
        this.partials = partials;
    }

    static Path partialFile(Path partials, Digest digest) {
        return partials.resolve(digest.algorithm() + "-" + digest.hex() + ".partial");
    }

    /**
     * Downloads the blob unless the content store has it.
     *
     * @param id progress id for events, or null for no events
     * @return the bytes received over the network
     */
    long fetch(Descriptor blob, String id, ProgressListener listener) {
        return fetch(blob, id, listener, null);
    }

    /**
     * Downloads the blob, also feeding a fresh download's bytes to {@code tee} (null for none), which is
     * committed only once the blob verified and is stored, and abandoned if the download resumes a partial
     * file, retries, or fails. The tee's own failures never fail the download.
     *
     * @param id progress id for events, or null for no events
     * @return the bytes received over the network
     */
    long fetch(Descriptor blob, String id, ProgressListener listener, StreamingUnpack tee) {
        try {
            return fetchTeeing(blob, id, listener, tee);
        } finally {
            if (tee != null) {
                // no-op after commit; otherwise the download failed and the staged unpack must go
                tee.abandon();
            }
        }
    }

    private long fetchTeeing(Descriptor blob, String id, ProgressListener listener, StreamingUnpack tee) {
        if (blob.size() < 0) {
            throw new InvalidArgumentException("blob " + blob.digest() + " has a negative size in its manifest");
        }
        Path partial = partialFile(partials, blob.digest());
        if (tee != null && Files.exists(partial)) {
            // A resumed download never sends the layer's beginning, which the unpack needs.
            tee.abandon();
            tee = null;
        }
        long received = 0;
        Digest actual = null;
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Transferred done = transfer(blob, partial, id, listener, tee);
                received += done.received();
                actual = done.digest();
                last = null;
                break;
            } catch (IOException e) {
                last = e;
                if (tee != null) {
                    // the retry resumes where this attempt stopped
                    tee.abandon();
                    tee = null;
                }
                if (attempt < ATTEMPTS && id != null) {
                    listener.onProgress(ProgressEvent.of(id, "Retrying in " + attempt + " second"
                            + (attempt == 1 ? "" : "s")));
                }
                sleepSeconds(attempt < ATTEMPTS ? attempt : 0);
            }
        }
        if (last != null) {
            throw new SystemFailureException("cannot download blob " + blob.digest() + " from "
                    + session.endpoint().base() + ": " + last.getMessage(), last);
        }
        if (id != null) {
            listener.onProgress(ProgressEvent.of(id, "Verifying Checksum"));
        }
        if (!blob.digest().equals(actual)) {
            deleteQuietly(partial);
            throw new InvalidArgumentException("blob " + blob.digest() + " from " + session.endpoint().base()
                    + " does not match its digest: got " + actual);
        }
        // actual was computed over exactly the partial file's bytes (see transfer), which is what
        // adoptVerified requires; it fsyncs and renames, so the blob is whole or absent.
        content.adoptVerified(partial, blob.digest());
        if (tee != null) {
            tee.commit();
        }
        if (id != null) {
            listener.onProgress(ProgressEvent.of(id, "Download complete"));
        }
        return received;
    }

    /** What one successful GET left: bytes received over the network, and the digest of the whole file. */
    private record Transferred(long received, Digest digest) {
    }

    /**
     * One GET; throws IOException when the network failed (worth a retry). The returned digest covers the
     * file's prefix as read back from disk plus every byte this call appended, i.e. exactly the file's content.
     */
    private Transferred transfer(Descriptor blob, Path partial, String id, ProgressListener listener,
                                 StreamingUnpack tee) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (have > blob.size()) {
            Files.delete(partial);
            have = 0;
        }
        if (have == blob.size() && Files.exists(partial)) {
            MessageDigest md = blob.digest().newMessageDigest();
            hashPrefix(partial, have, md);
            return new Transferred(0, Digest.of(blob.digest().algorithm(), md.digest()));
        }
        Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        BlobGet.Response response = session.getBlob(session.resource("blobs", blob.digest().toString()), headers);
        switch (response.status()) {
            case 200 -> have = 0;
            case 206 -> {
                long start = rangeStart(response);
                if (start != have) {
                    response.close();
                    Files.deleteIfExists(partial);
                    throw new IOException("registry answered a range starting at " + start + " instead of " + have);
                }
            }
            case 416 -> {
                response.close();
                Files.deleteIfExists(partial);
                throw new IOException("registry refused to resume at byte " + have);
            }
            default -> throw RegistrySession.errorOf(response).toException("blob " + blob.digest());
        }
        // Only a download from byte 0 can feed the unpack (fetch drops the tee when a partial file exists).
        StreamingUnpack sink = have == 0 ? tee : null;
        if (sink != null) {
            sink.start();
        }
        MessageDigest md = blob.digest().newMessageDigest();
        if (have > 0) {
            try {
                hashPrefix(partial, have, md);
            } catch (IOException e) {
                response.close();
                throw e;
            }
        }
        ByteProgress progress = id == null ? null : new ByteProgress(listener, id, "Downloading", have, blob.size());
        long wanted = blob.size() - have;
        long received = 0;
        StandardOpenOption mode = have == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        try (InputStream in = response.body();
             FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received += n;
                if (received > wanted) {
                    break;
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                // Hashed only once written: a failed write throws before these bytes count, and the retry
                // re-hashes whatever prefix the file really holds.
                md.update(buffer, 0, n);
                if (sink != null) {
                    sink.accept(buffer, 0, n);
                }
                if (progress != null) {
                    progress.advance(n);
                }
            }
            // No fsync here: adoptVerified makes the finished file durable before it becomes a blob, and a
            // partial file that lost its tail in a crash only resumes from an earlier point or, when its
            // prefix no longer hashes right, starts over. A second flush cost a small pull ~2.5 ms per blob.
        }
        if (received > wanted) {
            Files.deleteIfExists(partial);
            throw new InvalidArgumentException("blob " + blob.digest() + " is longer than the " + blob.size()
                    + " bytes its manifest says");
        }
        if (received < wanted) {
            throw new IOException("connection closed after " + (have + received) + " of " + blob.size() + " bytes");
        }
        return new Transferred(received, Digest.of(blob.digest().algorithm(), md.digest()));
    }

    /** Feeds the first {@code length} bytes of {@code file} (what an earlier attempt wrote) to {@code md}. */
    private static void hashPrefix(Path file, long length, MessageDigest md) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            long left = length;
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = ch.read(buffer);
                if (n < 0) {
                    throw new IOException(file + " shrank while being hashed");
                }
                buffer.flip();
                md.update(buffer);
                left -= n;
            }
        }
    }

    private static long rangeStart(BlobGet.Response response) throws IOException {
        String header = response.head().first("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            response.close();
            throw new IOException("206 response with an unreadable Content-Range: " + header);
        }
        return Long.parseLong(m.group(1));
    }

    private static void sleepSeconds(int seconds) {
        if (seconds == 0) {
            return;
        }
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale partial file is verified again before use, so leaving one behind is harmless
        }
    }
}
