package io.berth.client;

/** An error answered by the daemon: the HTTP status and the {@code message} of its JSON error body. */
public final class EngineApiException extends RuntimeException {

    private final int status;

    public EngineApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
