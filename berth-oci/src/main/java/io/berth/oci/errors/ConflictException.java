package io.berth.oci.errors;

/** The request clashes with current state: a name in use, an image in use, a running container. */
public final class ConflictException extends BerthException {
    public ConflictException(String message) { super(message); }
    public ConflictException(String message, Throwable cause) { super(message, cause); }
}
