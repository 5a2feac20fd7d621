package io.berth.oci.errors;

/** The object is in a state where the operation has nothing to do (already started, not running). */
public final class FailedPreconditionException extends BerthException {
    public FailedPreconditionException(String message) { super(message); }
    public FailedPreconditionException(String message, Throwable cause) { super(message, cause); }
}
