package io.berth.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Json;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A registry's error answer: the HTTP status and the distribution spec's {@code {"errors":[{"code","message"}]}}
 * body, worded as Docker words it ("unauthorized: authentication required", "manifest unknown: manifest
 * unknown"). It travels as the cause of the {@link BerthException} the client throws, so that the daemon can
 * tell a 401 (e.g. to answer {@code POST /auth} with 401) from other failures.
 */
public final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    RegistryError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status the registry answered with. */
    public int status() {
        return status;
    }

    /** The first error code of the body (e.g. "UNAUTHORIZED", "MANIFEST_UNKNOWN"), or null. */
    public String code() {
        return code;
    }

    /** True when the registry refused the credentials (or their absence). */
    public boolean isAuthenticationFailure() {
        return status == 401;
    }

    static RegistryError parse(int status, byte[] body) {
        List<String> parts = new ArrayList<>();
        String firstCode = null;
        try {
            JsonNode errors = Json.mapper().readTree(body).path("errors");
            for (JsonNode e : errors) {
                String code = e.path("code").asText("");
                String message = e.path("message").asText("");
                if (firstCode == null && !code.isEmpty()) {
                    firstCode = code;
                }
                String worded = code.toLowerCase(Locale.ROOT).replace('_', ' ');
                parts.add(message.isEmpty() ? worded : worded.isEmpty() ? message : worded + ": " + message);
            }
        } catch (IOException | RuntimeException notJson) {
            // Proxies and storage backends answer with HTML or plain text; the status line says enough.
        }
        if (parts.isEmpty()) {
            parts.add(defaultMessage(status, body));
        }
        return new RegistryError(status, firstCode, String.join("; ", parts));
    }

    private static String defaultMessage(int status, byte[] body) {
        return switch (status) {
            case 401 -> "unauthorized: authentication required";
            case 403 -> "denied: requested access to the resource is denied";
            case 404 -> "not found";
            default -> {
                String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
                yield "unexpected status " + status + (text.isEmpty() ? "" : ": " + text);
            }
        };
    }

    /**
     * The shared exception for this error: 401/403 fail a precondition (being logged in / allowed), 404 is not
     * found, 400 is invalid input, anything else a system failure.
     *
     * @param context what was being done, e.g. "manifest for localhost:5000/a:latest"; null for none
     */
    BerthException toException(String context) {
        String text = context == null ? getMessage() : context + ": " + getMessage();
        return switch (status) {
            case 401, 403 -> new FailedPreconditionException(getMessage(), this);
            case 404 -> new NotFoundException(text, this);
            case 400 -> new InvalidArgumentException(text, this);
            default -> new SystemFailureException(text, this);
        };
    }
}
