package io.berth.registry.server;

import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.NotImplementedException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place that turns a failure into the spec's {@code {"errors":[{"code","message","detail"}]}} body. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static void write(RegistryRequest request, Throwable failure) throws IOException {
        int status;
        String code;
        Map<String, String> headers = Map.of();
        switch (failure) {
            case RegistryException e -> {
                status = e.status();
                code = e.code().name();
                headers = e.headers();
            }
            case BerthException e -> {
                status = switch (e) {
                    case NotFoundException n -> 404;
                    case InvalidArgumentException i -> 400;
                    case ConflictException c -> 409;
                    case FailedPreconditionException f -> 409;
                    case SystemFailureException s -> 500;
                    case NotImplementedException n -> 501;
                };
                code = status == 400 ? ErrorCode.MANIFEST_INVALID.name() : status == 404 ? "NOT_FOUND" : "UNKNOWN";
            }
            default -> {
                status = 500;
                code = "UNKNOWN";
            }
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        error.put("detail", Map.of());
        request.respondJson(status, Map.of("errors", List.of(error)), headers);
    }
}
