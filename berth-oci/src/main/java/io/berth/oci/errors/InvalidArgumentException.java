package io.berth.oci.errors;

/** The caller sent something malformed or out of range. */
public final class InvalidArgumentException extends BerthException {
    public InvalidArgumentException(String message) { super(message); }
    public InvalidArgumentException(String message, Throwable cause) { super(message, cause); }
}
