package io.berth.client;

/** The daemon could not be reached or the connection broke mid-exchange. */
public final class EngineConnectionException extends RuntimeException {

    public EngineConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
