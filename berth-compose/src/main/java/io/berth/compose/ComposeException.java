package io.berth.compose;

/** An error in a Compose project or command, told to the user as it is (exit status 1, or {@code status}). */
public final class ComposeException extends RuntimeException {
    private final int status;

    public ComposeException(String message) {
        this(message, 1);
    }

    public ComposeException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
