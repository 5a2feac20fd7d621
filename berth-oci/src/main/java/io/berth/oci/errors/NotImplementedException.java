package io.berth.oci.errors;

/** The object exists but cannot do what was asked of it (a container whose log driver keeps nothing to read). */
public final class NotImplementedException extends BerthException {
    public NotImplementedException(String message) { super(message); }
}
