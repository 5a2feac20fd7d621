package io.berth.registry.server;

import java.util.Map;

/**
 * A failure the client should see as a spec error body. It carries the code, an optional status that overrides
 * the code's default (416 for an out-of-order chunk), and response headers the error needs (a challenge, a Range).
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final int status;
    private final Map<String, String> headers;

    public RegistryException(ErrorCode code, String message) {
        this(code, code.status(), message, Map.of());
    }

    public RegistryException(ErrorCode code, int status, String message, Map<String, String> headers) {
        super(message);
        this.code = code;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
