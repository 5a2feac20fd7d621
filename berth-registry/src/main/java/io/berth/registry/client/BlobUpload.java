package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Puts one blob into a repository, moving as few bytes as possible:
 * <ol>
 *   <li>HEAD the blob: present → done ("Layer already exists");</li>
 *   <li>if another repository of the same registry has it, {@code POST uploads/?mount=&from=}: 201 → done
 *       ("Mounted from ..."); 202 means the registry declined and opened a normal upload instead;</li>
 *   <li>else {@code POST uploads/} opens an upload session;</li>
 *   <li>small blobs go up in one {@code PUT ?digest=} (monolithic); big ones in {@code PATCH} chunks with
 *       {@code Content-Range}, following the Location each answer returns, then an empty {@code PUT ?digest=}.
 *       The registry verifies the digest before the blob becomes visible.</li>
 * </ol>
 * A blob made while it goes up (a layer compressed for this push, whose digest is known only at its end) skips
 * the HEAD when nothing is known about it yet and streams into the session ({@link #stream}); an upload that fails
 * midway is cancelled with {@code DELETE} on the session.
 */
final class BlobUpload {
    enum Outcome { EXISTS, MOUNTED, UPLOADED }

    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistrySession session;
    private final long chunkSize;

    BlobUpload(RegistrySession session, long chunkSize) {
        this.session = session;
        this.chunkSize = chunkSize;
    }

    /** How an upload starts: nothing left to do (the registry has the blob, or mounted it), or an open session. */
    sealed interface Start {
        record Done(Outcome outcome) implements Start {}

        record Open(URI location) implements Start {}
    }

    /**
     * HEADs {@code blob} and tries a mount from {@code mountFrom}; when neither does it, opens an upload session.
     *
     * @param blob      the blob as it will be pushed, or null when its digest is not known yet (a layer about to
     *                  be compressed for the first time): then a session is opened straight away
     * @param mountFrom a repository path on the same registry that has the blob, or null
     * @param id        progress id, or null for no events
     */
    Start open(Descriptor blob, String mountFrom, String id, ProgressListener listener) {
        if (blob == null) return new Start.Open(startUpload());
        if (ifExists(blob, id, listener) != null) return new Start.Done(Outcome.EXISTS);
        if (mountFrom == null) return new Start.Open(startUpload());
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(session.endpoint().resolve(
                "/v2/" + session.repository() + "/blobs/uploads/?mount=" + encode(blob.digest().toString())
                        + "&from=" + encode(mountFrom))).POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 201) {
            RegistrySession.discard(response);
            event(listener, id, "Mounted from " + mountFrom);
            return new Start.Done(Outcome.MOUNTED);
        }
        return new Start.Open(uploadLocation(response, 202));
    }

    /**
     * Pushes a blob whose bytes are a file (a stored blob, sent as it is).
     *
     * @param mountFrom a repository path on the same registry that has the blob, or null
     * @param id        progress id, or null for no events
     */
    Outcome push(Descriptor blob, Path file, String mountFrom, String id, ProgressListener listener) {
        URI location;
        switch (open(blob, mountFrom, id, listener)) {
            case Start.Done(Outcome outcome) -> {
                return outcome;
            }
            case Start.Open(URI at) -> location = at;
        }
        long size = blob.size();
        ByteProgress progress = id == null ? null : new ByteProgress(listener, id, "Pushing", 0, size);
        if (size <= chunkSize) {
            finish(location, blob.digest(), file, 0, size, progress);
        } else {
            long offset = 0;
            try {
                while (offset < size) {
                    long length = Math.min(chunkSize, size - offset);
                    location = patch(location, file, offset, length, progress);
                    offset += length;
                }
            } catch (RuntimeException e) {
                throw cancelled(location, "blob " + blob.digest().shortId(), e);
            }
            finish(location, blob.digest(), file, size, 0, progress);
        }
        event(listener, id, "Pushed");
        return Outcome.UPLOADED;
    }

    /** What writes a blob's bytes, which are known only as they are made. */
    interface BlobWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Streams a blob into the open session at {@code location} while {@code writer} makes it, in chunks of at most
     * the configured chunk size ({@link ChunkedUploadStream}: two chunks of memory), the digest computed on the
     * way and sent with the closing PUT. When anything fails midway the session is cancelled ({@code DELETE}) and
     * the error says what failed.
     *
     * @param what the blob in the error ("layer 3f4e…")
     */
    ChunkedUploadStream.Uploaded stream(URI location, BlobWriter writer, String what, String id,
                                        ProgressListener listener) {
        ChunkedUploadStream out = new ChunkedUploadStream(new StreamSession(), location, streamChunk());
        try (out) {
            writer.writeTo(out);
            ChunkedUploadStream.Uploaded uploaded = out.finish();
            event(listener, id, "Pushed");
            return uploaded;
        } catch (IOException | RuntimeException e) {
            out.close();
            throw cancelled(out.location(), what, e);
        }
    }

    /** Cancels the session at {@code location} and says why the upload of {@code what} stopped. */
    private SystemFailureException cancelled(URI location, String what, Exception cause) {
        cancel(location);
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SystemFailureException("upload of " + what + " to " + session.repository()
                + " failed and was cancelled: " + why, cause);
    }

    /** The chunk a streamed upload holds in memory (twice): the configured size, at most 64 MiB. */
    private int streamChunk() {
        return (int) Math.min(chunkSize, 64L << 20);
    }

    /** Ends an upload session that will not be finished, so the registry drops what it received; best effort. */
    private void cancel(URI location) {
        boolean interrupted = Thread.interrupted(); // an interrupted push still tells the registry
        try {
            RegistrySession.discard(session.send(HttpRequest.newBuilder(location).DELETE()));
        } catch (RuntimeException ignored) {
            // the registry expires abandoned sessions itself
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The PATCH and PUT of a streamed upload, from memory (so a request repeated after an auth challenge resends it). */
    private final class StreamSession implements ChunkedUploadStream.Session {
        @Override
        public URI patch(URI location, long offset, byte[] bytes, int length) {
            HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(location)
                    .header("Content-Type", OCTET_STREAM)
                    .header("Content-Range", offset + "-" + (offset + length - 1))
                    .method("PATCH", new ByteSlicePublisher(bytes, 0, length)));
            return uploadLocation(response, 202);
        }

        @Override
        public void put(URI location, Digest digest, long offset, byte[] bytes, int length) {
            HttpRequest.BodyPublisher body = length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : new ByteSlicePublisher(bytes, 0, length);
            close(location, digest, body);
        }
    }

    /** {@link Outcome#EXISTS}, announced, when the repository has the blob already; null when it has not. */
    Outcome ifExists(Descriptor blob, String id, ProgressListener listener) {
        if (!exists(blob)) return null;
        event(listener, id, "Layer already exists");
        return Outcome.EXISTS;
    }

    private boolean exists(Descriptor blob) {
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(
                        session.resource("blobs", blob.digest().toString()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return switch (response.statusCode()) {
            case 200 -> {
                RegistrySession.discard(response);
                yield true;
            }
            case 404 -> {
                RegistrySession.discard(response);
                yield false;
            }
            default -> throw RegistrySession.errorOf(response).toException("checking blob " + blob.digest());
        };
    }

    private URI startUpload() {
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(
                session.endpoint().resolve("/v2/" + session.repository() + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        return uploadLocation(response, 202);
    }

    private URI patch(URI location, Path file, long offset, long length, ByteProgress progress) {
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(location)
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Range", offset + "-" + (offset + length - 1))
                .method("PATCH", body(file, offset, length, progress)));
        return uploadLocation(response, 202);
    }

    /** Closes the upload with {@code PUT ?digest=}, carrying the last {@code length} bytes (0 after chunks). */
    private void finish(URI location, Digest digest, Path file, long offset, long length, ByteProgress progress) {
        close(location, digest, length == 0 ? HttpRequest.BodyPublishers.noBody() : body(file, offset, length, progress));
    }

    private void close(URI location, Digest digest, HttpRequest.BodyPublisher body) {
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + separator + "digest=" + encode(digest.toString()));
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(put)
                .header("Content-Type", OCTET_STREAM).PUT(body));
        if (response.statusCode() != 201) {
            throw RegistrySession.errorOf(response).toException("uploading blob " + digest);
        }
        RegistrySession.discard(response);
    }

    private static HttpRequest.BodyPublisher body(Path file, long offset, long length, ByteProgress progress) {
        // The supplier opens the file afresh each time, so a request repeated after an auth challenge resends it.
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> FileSliceStream.open(file, offset, length, progress)),
                length);
    }

    private URI uploadLocation(HttpResponse<InputStream> response, int expected) {
        if (response.statusCode() != expected) {
            throw RegistrySession.errorOf(response).toException("upload to " + session.repository());
        }
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new InvalidArgumentException("registry " + session.endpoint().base()
                        + " opened an upload without a Location header"));
        RegistrySession.discard(response);
        return response.request().uri().resolve(location);
    }

    private static void event(ProgressListener listener, String id, String status) {
        if (id != null) {
            listener.onProgress(ProgressEvent.of(id, status));
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
