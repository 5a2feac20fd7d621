package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A stream of JSON values as the daemon sends for progress, events and streamed stats. Values are
 * parsed as they arrive, so the iterator blocks on a live stream until the next value is complete.
 */
public final class JsonLines implements Iterator<JsonNode>, Closeable {

    private final HttpResponse response;
    private final JsonReader reader;

    JsonLines(HttpResponse response) {
        this.response = response;
        this.reader = JsonTree.reader(response.body());
    }

    @Override
    public boolean hasNext() {
        try {
            return reader.hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            return reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
