package io.berth.oci.errors;

/**
 * The closed set of failures berth's services report. Each kind maps to one HTTP status in the daemon's
 * error mapper (and only there), so services never know about HTTP.
 */
public abstract sealed class BerthException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidArgumentException,
                FailedPreconditionException, SystemFailureException, NotImplementedException {
    protected BerthException(String message) { super(message); }
    protected BerthException(String message, Throwable cause) { super(message, cause); }
}
