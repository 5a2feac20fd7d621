package io.berth.client;

import com.fasterxml.jackson.core.JsonParser;
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
    private final JsonParser parser;
    /** Whether the parser stands on the first token of a value that {@link #next()} has not returned yet. */
    private boolean pending;

    JsonLines(HttpResponse response) {
        this.response = response;
        try {
            this.parser = JsonTree.parser(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        try {
            if (!pending) {
                pending = parser.nextToken() != null;
            }
            return pending;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        pending = false;
        try {
            return JsonTree.read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
