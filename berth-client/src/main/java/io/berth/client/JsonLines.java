package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * A stream of JSON values as the daemon sends for progress, events and streamed stats. Values are
 * parsed as they arrive, so the iterator blocks on a live stream until the next value is complete.
 */
public final class JsonLines implements Iterator<JsonNode>, Closeable {

    private final HttpResponse response;
    private final MappingIterator<JsonNode> values;

    JsonLines(HttpResponse response) {
        this.response = response;
        try {
            this.values = EngineClient.JSON.readerFor(JsonNode.class).readValues(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return values.hasNextValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JsonNode next() {
        try {
            return values.nextValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
