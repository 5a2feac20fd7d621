package io.berth.oci.errors;

/** A named object (container, image, exec, ...) does not exist. */
public final class NotFoundException extends BerthException {
    public NotFoundException(String message) { super(message); }
    public NotFoundException(String message, Throwable cause) { super(message, cause); }
}
