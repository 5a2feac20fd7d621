package io.berth.http;

import java.io.IOException;

/**
 * A message whose framing cannot be trusted: a malformed or oversized head, a body framed two ways, a broken
 * chunk. {@link #status} is what a server answers before it closes the connection (400, 431, 501 or 505, as Go's
 * servers do); nothing after such a message on the same connection can be read safely.
 */
public class HttpFramingException extends IOException {
    private final int status;

    public HttpFramingException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
