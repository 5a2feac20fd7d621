package io.berth.cli;

/** A failure the CLI reports itself: the message for stderr (may be null) and the exit status. */
public final class CliException extends RuntimeException {

    private final int status;

    public CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    public CliException(String message) {
        this(1, message);
    }

    public int status() {
        return status;
    }
}
