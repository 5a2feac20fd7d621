package io.berth.oci.errors;

/** Something on the host failed: the runtime, the filesystem, a child process. */
public final class SystemFailureException extends BerthException {
    public SystemFailureException(String message) { super(message); }
    public SystemFailureException(String message, Throwable cause) { super(message, cause); }
}
