package io.berth.daemon.http;

import com.fasterxml.jackson.core.JacksonException;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.NotImplementedException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.registry.client.RegistryError;

/** The one place where a failure becomes an HTTP status, as Docker answers them. */
public final class ErrorMapper {
    public record ApiError(int status, String message) {}

    public ApiError map(Throwable e) {
        return switch (e) {
            case NotFoundException n -> new ApiError(404, n.getMessage());
            case ConflictException c -> new ApiError(409, c.getMessage());
            case InvalidArgumentException i -> new ApiError(400, i.getMessage());
            case NotImplementedException n -> new ApiError(501, n.getMessage());
            // A registry that refused the credentials (or their absence) before a pull or push said anything: its
            // own 401/403, as dockerd answers (the client then knows to log in), never a 304, which reads as success.
            case FailedPreconditionException f when f.getCause() instanceof RegistryError r && (r.status() == 401 || r.status() == 403) ->
                    new ApiError(r.status(), f.getMessage());
            // "already started" / "already stopped" are answered with 304 by Docker.
            case FailedPreconditionException f -> new ApiError(304, f.getMessage());
            case SystemFailureException s -> new ApiError(500, s.getMessage());
            case JacksonException j -> new ApiError(400, "invalid JSON: " + j.getOriginalMessage());
            case IllegalArgumentException i -> new ApiError(400, i.getMessage());
            default -> new ApiError(500, e.getMessage() == null ? e.toString() : e.getMessage());
        };
    }
}
