package io.berth.registry.server;

/**
 * The error codes of the OCI Distribution Specification, each registered once with its HTTP status. A handler
 * throws {@link RegistryException} with one of these; {@link ErrorResponses} is the only place that writes them.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404),
    BLOB_UPLOAD_INVALID(400),
    BLOB_UPLOAD_UNKNOWN(404),
    DIGEST_INVALID(400),
    MANIFEST_BLOB_UNKNOWN(400),
    MANIFEST_INVALID(400),
    MANIFEST_UNKNOWN(404),
    NAME_INVALID(400),
    NAME_UNKNOWN(404),
    SIZE_INVALID(400),
    /** Not in the spec's table; distribution's code for a manifest PUT to a tag that is not a valid tag. */
    TAG_INVALID(400),
    UNAUTHORIZED(401),
    DENIED(403),
    UNSUPPORTED(405),
    TOOMANYREQUESTS(429);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The status the spec gives this code; a few call sites use a more precise one (416, 404 for no route). */
    public int status() {
        return status;
    }
}
