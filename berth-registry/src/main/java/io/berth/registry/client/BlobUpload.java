package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

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

    /**
     * @param bytes     the file of the blob's bytes, asked for only when they must go up: the stored blob, or a
     *                  layer compressed for this push (which then happens only when the registry lacks the blob)
     * @param mountFrom a repository path on the same registry that has the blob, or null
     * @param id        progress id, or null for no events
     */
    Outcome push(Descriptor blob, Supplier<Path> bytes, String mountFrom, String id, ProgressListener listener) {
        if (ifExists(blob, id, listener) != null) return Outcome.EXISTS;
        URI location;
        if (mountFrom != null) {
            HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(session.endpoint().resolve(
                    "/v2/" + session.repository() + "/blobs/uploads/?mount=" + encode(blob.digest().toString())
                            + "&from=" + encode(mountFrom))).POST(HttpRequest.BodyPublishers.noBody()));
            if (response.statusCode() == 201) {
                RegistrySession.discard(response);
                event(listener, id, "Mounted from " + mountFrom);
                return Outcome.MOUNTED;
            }
            location = uploadLocation(response, 202);
        } else {
            location = startUpload();
        }
        Path file = bytes.get();
        long size = blob.size();
        ByteProgress progress = id == null ? null : new ByteProgress(listener, id, "Pushing", 0, size);
        if (size <= chunkSize) {
            finish(location, blob.digest(), file, 0, size, progress);
        } else {
            long offset = 0;
            while (offset < size) {
                long length = Math.min(chunkSize, size - offset);
                location = patch(location, file, offset, length, progress);
                offset += length;
            }
            finish(location, blob.digest(), file, size, 0, progress);
        }
        event(listener, id, "Pushed");
        return Outcome.UPLOADED;
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
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + separator + "digest=" + encode(digest.toString()));
        HttpRequest.Builder request = HttpRequest.newBuilder(put).header("Content-Type", OCTET_STREAM)
                .PUT(length == 0 ? HttpRequest.BodyPublishers.noBody() : body(file, offset, length, progress));
        HttpResponse<InputStream> response = session.send(request);
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
