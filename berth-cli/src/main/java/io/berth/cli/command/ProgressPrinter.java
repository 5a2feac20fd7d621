package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Prints the daemon's JSON progress messages the way docker does without a terminal: build-style
 * {@code stream} text as is, {@code status} lines prefixed by their {@code id}. Byte-progress
 * updates are skipped (they only make sense redrawn in place).
 */
public final class ProgressPrinter implements Consumer<JsonNode> {

    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(JsonNode m) {
        if (m.hasNonNull("stream")) {
            out.print(m.get("stream").asText());
            out.flush();
            return;
        }
        if (!m.hasNonNull("status")) {
            return;
        }
        JsonNode detail = m.path("progressDetail");
        if (detail.isObject() && !detail.isEmpty()) {
            return;
        }
        String id = m.path("id").asText("");
        out.println(id.isEmpty() ? m.get("status").asText() : id + ": " + m.get("status").asText());
    }
}
