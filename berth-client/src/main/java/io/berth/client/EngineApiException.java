package io.berth.client;

/**
 * An error answered by the daemon: the HTTP status and the {@code message} of its JSON error body,
 * or an {@code error} entry ending a progress stream that had already started with 200 OK
 * ({@link #streamed()}); docker prints the latter without "Error response from daemon".
 */
public final class EngineApiException extends RuntimeException {

    private final int status;
    private final boolean streamed;

    public EngineApiException(int status, String message) {
        this(status, message, false);
    }

    public EngineApiException(int status, String message, boolean streamed) {
        super(message);
        this.status = status;
        this.streamed = streamed;
    }

    public boolean streamed() {
        return streamed;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
