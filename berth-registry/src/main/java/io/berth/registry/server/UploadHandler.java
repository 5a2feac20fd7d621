package io.berth.registry.server;

import io.berth.oci.Digest;

import java.io.IOException;
import java.util.Map;

/**
 * {@code /v2/<name>/blobs/uploads/} and {@code /v2/<name>/blobs/uploads/<uuid>}: monolithic, chunked and
 * streamed uploads, status, cancel, and cross-repository mount.
 */
final class UploadHandler {
    private final RegistryStorage storage;
    private final UploadSessions sessions;

    UploadHandler(RegistryStorage storage, UploadSessions sessions) {
        this.storage = storage;
        this.sessions = sessions;
    }

    /** POST: mount ({@code ?mount=&from=}), monolithic upload ({@code ?digest=}), or start a session. */
    void start(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        String mount = request.query("mount");
        String from = request.query("from");
        if (mount != null && from != null && mounted(request, grant, name, Digests.parse(mount), from)) {
            return;
        }
        String digestParam = request.query("digest");
        if (digestParam != null) {
            Digest digest = Digests.parse(digestParam);
            String uuid = sessions.start(name);
            try {
                sessions.append(name, uuid, -1, request.body());
                sessions.finish(name, uuid, digest);
            } catch (RuntimeException e) {
                cancelQuietly(name, uuid);
                throw e;
            }
            created(request, name, digest);
            return;
        }
        String uuid = sessions.start(name);
        request.respond(202, Map.of(
                "Location", UploadSessions.location(name, uuid),
                "Docker-Upload-UUID", uuid,
                "Range", UploadRange.header(0)));
    }

    private boolean mounted(RegistryRequest request, Authorizer.Grant grant, RepositoryName name, Digest digest,
                            String fromText) throws IOException {
        RepositoryName from;
        try {
            from = new RepositoryName(fromText);
        } catch (RegistryException e) {
            return false;
        }
        if (!grant.permits(Access.repository(from, Access.PULL)) || !storage.hasBlob(from, digest)) {
            return false; // the spec's fallback: the client gets an upload session instead
        }
        try {
            storage.linkBlob(name, digest);
        } catch (RegistryException e) {
            return false; // collected meanwhile
        }
        created(request, name, digest);
        return true;
    }

    /** PATCH: one chunk (with Content-Range, must continue exactly where the upload is) or a stream. */
    void patch(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        String uuid = request.part("uuid");
        long size = append(request, name, uuid);
        request.respond(202, Map.of(
                "Location", UploadSessions.location(name, uuid),
                "Docker-Upload-UUID", uuid,
                "Range", UploadRange.header(size)));
    }

    /** PUT ?digest=: the last chunk (optional), then verify and publish. */
    void finish(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        String uuid = request.part("uuid");
        String digestParam = request.query("digest");
        if (digestParam == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "PUT of an upload needs ?digest=");
        }
        Digest digest = Digests.parse(digestParam);
        sessions.session(name, uuid);
        if (request.contentLength() > 0 || "chunked".equalsIgnoreCase(request.header("Transfer-Encoding"))) {
            append(request, name, uuid);
        }
        sessions.finish(name, uuid, digest);
        created(request, name, digest);
    }

    void status(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        String uuid = request.part("uuid");
        long size = sessions.size(name, uuid);
        request.respond(204, Map.of(
                "Location", UploadSessions.location(name, uuid),
                "Docker-Upload-UUID", uuid,
                "Range", UploadRange.header(size)));
    }

    void cancel(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        sessions.cancel(request.name(), request.part("uuid"));
        request.respond(204, Map.of());
    }

    private long append(RegistryRequest request, RepositoryName name, String uuid) {
        String contentRange = request.header("Content-Range");
        if (contentRange == null) {
            return sessions.append(name, uuid, -1, request.body());
        }
        long[] span = UploadRange.parse(contentRange);
        long length = span[1] - span[0] + 1;
        long announced = request.contentLength();
        if (announced >= 0 && announced != length) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                    "Content-Range " + contentRange + " does not match Content-Length " + announced, Map.of());
        }
        return sessions.append(name, uuid, span[0], new RequestBody(request.exchange().requestBody(), length));
    }

    private void cancelQuietly(RepositoryName name, String uuid) {
        try {
            sessions.cancel(name, uuid);
        } catch (RegistryException ignored) {
            // already discarded by a failed verification
        }
    }

    private static void created(RegistryRequest request, RepositoryName name, Digest digest) throws IOException {
        request.respond(201, Map.of(
                "Location", "/v2/" + name.value() + "/blobs/" + digest,
                "Docker-Content-Digest", digest.toString()));
    }
}
