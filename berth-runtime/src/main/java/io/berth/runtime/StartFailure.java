package io.berth.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

/**
 * How a failed start is told to the user. Docker records exit code 127 when the command was not found, 126
 * when it could not be executed and 128 otherwise, and its CLI maps the exact phrases "executable file not
 * found" and "permission denied" in the message to those exit codes, so the message must carry them.
 */
record StartFailure(int exitCode, String message) {
    static StartFailure of(Throwable ex, String command) {
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        int code = msg.contains("not found") || msg.contains("No such file") ? 127
                : msg.contains("ermission denied") ? 126 : 128;
        if (code == 127 && !msg.contains("executable file not found")) {
            msg = "exec: \"" + command + "\": executable file not found in $PATH: " + msg;
        } else if (code == 126 && !msg.contains("permission denied")) {
            msg = msg + ": permission denied";
        }
        return new StartFailure(code, msg);
    }

    /**
     * What start throws: the user's mistakes (bad arguments, 127, 126) as invalid arguments, a conflict with another
     * container's state (a namespace to join that does not run) as that conflict, the rest as failures.
     */
    RuntimeException toException(Throwable cause) {
        if (cause instanceof InvalidArgumentException iae) return iae;
        if (cause instanceof ConflictException ce) return ce;
        if (exitCode == 127 || exitCode == 126) return new InvalidArgumentException(message, cause);
        if (cause instanceof SystemFailureException sfe) return sfe;
        return new SystemFailureException(message, cause);
    }
}
