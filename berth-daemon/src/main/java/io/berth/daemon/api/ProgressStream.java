package io.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpResponse;
import io.berth.oci.errors.BerthException;

/**
 * Docker's JSON-lines progress (pull, push, load). The response starts with the first message, as Docker's
 * does: a failure before any progress (unknown image, bad credentials) is still a plain HTTP error; one after
 * it is an {"errorDetail": ...} line. Writes come from several download threads and are serialised.
 */
public final class ProgressStream implements AutoCloseable {
    private final HttpResponse response;
    private OutputStream out;
    private boolean abandoned;

    public ProgressStream(HttpResponse response) {
        this.response = response;
    }

    /** Answers the 200 now, before any message: for endpoints whose every failure belongs in the stream (load). */
    public synchronized void start() {
        try {
            if (out == null) out = response.stream(200, "application/json");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }

    public void status(String id, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (id != null) m.put("id", id);
        write(m);
    }

    public void bytes(String id, String status, long current, long total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("progressDetail", total > 0 ? Map.of("current", current, "total", total) : Map.of("current", current));
        if (total > 0) m.put("progress", bar(current, total));
        if (id != null) m.put("id", id);
        write(m);
    }

    /** Builder output: {"stream": "Step 1/3 : FROM busybox\n"}. */
    public void stream(String text) {
        write(Map.of("stream", text));
    }

    public void aux(Map<String, Object> aux) {
        write(Map.of("progressDetail", Map.of(), "aux", aux));
    }

    /**
     * Ends the operation with {@code e}: before any message it is still an HTTP error (4xx/5xx, as Docker
     * answers an early failure); once the 200 has started, it can only be an error message in the stream.
     */
    public synchronized void fail(BerthException e) {
        if (out == null) {
            abandoned = true; // close() must not answer 200 before the error mapper answers the error
            throw e;
        }
        error(e.getMessage());
    }

    public void error(String message) {
        write(Map.of("errorDetail", Map.of("message", message), "error", message));
    }

    private synchronized void write(Map<String, Object> message) {
        try {
            if (out == null) out = response.stream(200, "application/json");
            out.write((ApiJson.MAPPER.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }

    /** The 50-character bar docker prints: "[=====>      ]  1.2MB/3.4MB". */
    static String bar(long current, long total) {
        int width = 50;
        int filled = (int) Math.min(width, current * width / Math.max(1, total));
        String arrows = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "");
        return "[" + arrows + " ".repeat(width - arrows.length()) + "] " + Sizes.human(current) + "/" + Sizes.human(total);
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) out.close();
        else if (!abandoned) response.send(200, "application/json", new byte[0]);
    }
}
