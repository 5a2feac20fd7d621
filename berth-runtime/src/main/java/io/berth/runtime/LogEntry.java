package io.berth.runtime;

import java.time.Instant;

/** One record of a container's k8s-file log. data includes the trailing newline of a full line. */
public record LogEntry(Instant time, Stream stream, byte[] data, boolean partial) {
    public enum Stream { STDOUT, STDERR }
}
