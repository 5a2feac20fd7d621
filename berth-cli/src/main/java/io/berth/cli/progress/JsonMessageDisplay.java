package io.berth.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shows the daemon's JSON-lines progress (pull, push, load, import, build) as docker's
 * DisplayJSONMessagesStream does.
 *
 * <p>On a terminal every message with an {@code id} owns one line of a block, redrawn in place as
 * later messages for that id arrive. The cursor rests on the line just below the block:
 * <pre>
 *   latest: Pulling from library/alpine        line 0
 *   a1b2c3d4e5f6: Downloading  1.2MB/3.4MB      line 1   &lt;- up 2, clear, rewrite, down 2
 *   0f9e8d7c6b5a: Pull complete                 line 2
 *   _                                           cursor
 * </pre>
 * A message without an id (build {@code stream} text, "Digest: ...") is printed as a plain line and
 * closes the block, so a later message never redraws lines of an earlier phase. Block lines are cut
 * to the terminal width: a wrapped line would take two rows and throw off the cursor arithmetic.
 *
 * <p>Elsewhere (a pipe, a log file) nothing is redrawn: status lines are printed once each and byte
 * updates are dropped, so the log reads "a1b2c3d4e5f6: Pull complete" without escape sequences.
 *
 * <p>Byte progress is drawn from {@code progressDetail} with the local width, as docker's CLI does;
 * the daemon's preformatted {@code progress} text (drawn for a width it could not know) is used only
 * when the detail carries no counts. Error messages are not drawn: the client turns them into an
 * exception, which ends the display.
 */
public final class JsonMessageDisplay implements Consumer<JsonNode> {

    static final String ERASE_LINE = "\u001b[2K";

    private final PrintStream out;
    private final OutputTerminal terminal;
    private final InstantSource clock;
    /** Block line of each id shown since the last plain line, in order of first appearance. */
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    /** Whether the cursor's line holds id-less progress that the next output must erase first. */
    private boolean transientLine;

    public JsonMessageDisplay(PrintStream out, OutputTerminal terminal, InstantSource clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    public JsonMessageDisplay(PrintStream out, OutputTerminal terminal) {
        this(out, terminal, InstantSource.system());
    }

    /** Plain output with no terminal behind it. */
    public JsonMessageDisplay(PrintStream out) {
        this(out, OutputTerminal.NONE);
    }

    @Override
    public void accept(JsonNode m) {
        if (m.has("aux") || m.hasNonNull("error") || m.has("errorDetail")) {
            return;
        }
        String id = m.path("id").asText("");
        boolean hasText = m.hasNonNull("stream") || m.hasNonNull("status") || m.hasNonNull("progress");
        if (!hasText || !terminal.isTerminal() && carriesProgress(m)) {
            return;
        }
        if (transientLine) {
            out.print(ERASE_LINE);
            transientLine = false;
        }
        if (m.hasNonNull("stream")) {
            lines.clear();
            out.print(m.get("stream").asText());
        } else if (terminal.isTerminal() && !id.isEmpty()) {
            redraw(id, m);
        } else if (terminal.isTerminal() && carriesProgress(m)) {
            // progress without an id has no row of its own: it is redrawn on the current line until
            // the next output replaces it
            lines.clear();
            transientLine = true;
            out.print(ERASE_LINE + "\r" + fit(lineText(id, m, terminal.columns().getAsInt()), terminal.columns().getAsInt()) + "\r");
        } else {
            lines.clear();
            out.print(prefix(id, m) + m.path("status").asText("") + "\n");
        }
        out.flush();
    }

    private void redraw(String id, JsonNode m) {
        Integer line = lines.get(id);
        if (line == null) {
            line = lines.size();
            lines.put(id, line);
            // a new row at the bottom of the block; the cursor then sits below it like below the others
            out.print("\n");
        }
        int up = lines.size() - line;
        int width = terminal.columns().getAsInt();
        out.print("\u001b[" + up + "A" + ERASE_LINE + "\r" + fit(lineText(id, m, width), width) + "\r" + "\u001b[" + up + "B");
    }

    private String lineText(String id, JsonNode m, int width) {
        String progress = progressText(m, width);
        return prefix(id, m) + m.path("status").asText("") + (progress.isEmpty() ? "" : " " + progress);
    }

    private String progressText(JsonNode m, int width) {
        ByteProgress detail = ByteProgress.of(m.path("progressDetail"));
        if (detail.hasCounts()) {
            return detail.render(width, clock.instant());
        }
        return m.path("progress").asText("");
    }

    /** Byte updates are only worth showing when they can overwrite each other. */
    private static boolean carriesProgress(JsonNode m) {
        JsonNode detail = m.path("progressDetail");
        return detail.isObject() && !detail.isEmpty() || !m.path("progress").asText("").isEmpty();
    }

    private static String prefix(String id, JsonNode m) {
        String from = m.path("from").asText("");
        return (id.isEmpty() ? "" : id + ": ") + (from.isEmpty() ? "" : "(from " + from + ") ");
    }

    /**
     * At most width-1 columns: some terminals wrap as soon as the last column is written, which would
     * push the block down a row.
     */
    static String fit(String text, int width) {
        int max = Math.max(1, width - 1);
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max));
    }
}
