package io.berth.fs;

/**
 * An archive that must not be applied: an entry that would land outside its target (absolute, "..", through a
 * symlink, a hardlink out), a type that is refused (device nodes), or data that is truncated or corrupt. The
 * archive's fault, never the disk's: an engine answers it as invalid input (400), a CLI as a plain error.
 */
public final class BadArchiveException extends RuntimeException {
    public BadArchiveException(String message) {
        super(message);
    }

    public BadArchiveException(String message, Throwable cause) {
        super(message, cause);
    }

    static BadArchiveException unsafe(String context, String entryName, String reason) {
        return new BadArchiveException(context + ": unsafe entry " + entryName + ": " + reason);
    }
}
