package io.berth.client;

import io.berth.http.ResponseHead;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The raw duplex stream left after an attach or exec start was upgraded: the container's output
 * (framed, unless it has a TTY) comes from {@link #in()}, its stdin goes to {@link #out()}.
 */
public final class HijackedStream implements Closeable {

    private final ResponseHead head;
    private final InputStream in;
    private final Connection connection;

    HijackedStream(ResponseHead head, InputStream in, Connection connection) {
        this.head = head;
        this.in = in;
        this.connection = connection;
    }

    public ResponseHead head() {
        return head;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return connection.out();
    }

    /** Signals end of stdin to the container while its output keeps flowing. */
    public void closeWrite() throws IOException {
        connection.out().flush();
        connection.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
