package io.berth.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Humanize;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code build --progress=tty}: a compact live view of the classic builder's output, in the spirit of
 * BuildKit's. It reads the same JSON messages as the plain display and redraws one frame in place:
 * <pre>
 *   [+] Building 3.2s (2/3)                          header: elapsed, steps done / total
 *   => [1/3] FROM busybox  0.0s DONE                 one line per "Step n/N" seen
 *   => [2/3] COPY . /src  0.0s CACHED                " ---> Using cache" was printed for it
 *   => [3/3] RUN make  1.4s /                        running: spinner
 *        cc -o app main.c                            its last 5 output lines, dimmed
 *   _                                                cursor rests below the frame
 * </pre>
 * A redraw moves the cursor up over the previous frame, rewrites every line and erases what is left
 * below, so a frame that shrinks (the tail of a finished step goes away) leaves nothing behind. Lines
 * are cut to width-1 columns: a wrapped line would take two rows and throw off the cursor arithmetic;
 * the frame keeps to the terminal's height for the same reason, dropping its oldest steps first.
 *
 * <p>Text that belongs to no step (what the daemon says before the first step, "Successfully
 * built/tagged" after the last) is kept and printed as plain lines under the final frame. When the
 * build fails, the failing step's full output follows the final frame in the plain form, so the
 * error that the caller prints next has its context.
 *
 * <p>{@link #accept}, {@link #tick} and the ends are synchronized: messages arrive on the caller's
 * thread while {@link #refreshEvery} redraws from its own so the clock moves between messages.
 */
public final class BuildProgressView implements Consumer<JsonNode> {

    static final int TAIL_LINES = 5;
    private static final String ESC = "\u001b[";
    private static final String ERASE_LINE = ESC + "2K";
    private static final String ERASE_BELOW = ESC + "J";
    private static final String DIM = ESC + "2m";
    private static final String RESET = ESC + "0m";
    private static final String SPINNER = "|/-\\";
    private static final String TAIL_INDENT = "     ";
    private static final Pattern STEP = Pattern.compile("Step (\\d+)/(\\d+) : (.*)");
    /** CSI and OSC sequences in RUN output would move the cursor under the view's feet. */
    private static final Pattern ESCAPES = Pattern.compile("\u001b(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001b]*(\u0007|\u001b\\\\)?|.)?");

    private final PrintStream out;
    private final IntSupplier columns;
    private final IntSupplier rows;
    private final InstantSource clock;
    private final Instant start;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Stream text after its last newline, kept until the line is complete. */
    private final StringBuilder partial = new StringBuilder();
    private Step current;
    private int total;
    private boolean afterSteps;
    private State state = State.RUNNING;
    /** Rows of the frame on screen, which the next redraw climbs over. */
    private int drawn;

    private enum State { RUNNING, FINISHED, FAILED }

    /** A step of the build as far as its output tells; mutated only under the view's lock. */
    private static final class Step {
        final int number;
        final String label;
        final String header;
        final Instant started;
        final List<String> log = new ArrayList<>();
        Instant ended;
        boolean cached;
        boolean failed;

        Step(int number, String label, String header, Instant started) {
            this.number = number;
            this.label = label;
            this.header = header;
            this.started = started;
        }
    }

    /**
     * @param columns the terminal's width, asked on every redraw so a resize takes effect at the next one
     * @param rows    the terminal's height, likewise
     */
    public BuildProgressView(PrintStream out, IntSupplier columns, IntSupplier rows, InstantSource clock) {
        this.out = out;
        this.columns = columns;
        this.rows = rows;
        this.clock = clock;
        this.start = clock.instant();
    }

    @Override
    public synchronized void accept(JsonNode m) {
        if (state != State.RUNNING || m.has("aux") || m.hasNonNull("error") || m.has("errorDetail")) {
            return;
        }
        if (m.hasNonNull("stream")) {
            partial.append(m.get("stream").asText());
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                line(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
        } else if (m.hasNonNull("status") && !carriesProgress(m)) {
            // status text during a build comes from pulling the FROM image: part of that step's output
            String id = m.path("id").asText("");
            output((id.isEmpty() ? "" : id + ": ") + m.get("status").asText());
        }
        draw();
    }

    /** The build context has been sent: shown as a finished internal step, as BuildKit does. */
    public synchronized void contextSent(long bytes) {
        if (state != State.RUNNING) {
            return;
        }
        Step context = new Step(0, "[internal] load build context " + Humanize.size(bytes), null, start);
        context.ended = clock.instant();
        steps.add(context);
        draw();
    }

    /** Redraws the current frame, so the clock and the spinner move while no message arrives. */
    public synchronized void tick() {
        if (state == State.RUNNING) {
            draw();
        }
    }

    /** The build succeeded: the final frame stays and the text around the steps follows it. */
    public synchronized void finish() {
        if (state != State.RUNNING) {
            return;
        }
        flushPartial();
        endCurrent();
        state = State.FINISHED;
        draw();
        notes.forEach(out::println);
        out.flush();
    }

    /** The build failed: the final frame marks the step, whose full output follows in plain form. */
    public synchronized void fail() {
        if (state != State.RUNNING) {
            return;
        }
        flushPartial();
        Step failing = current;
        if (failing != null) {
            failing.failed = true;
        }
        endCurrent();
        state = State.FAILED;
        draw();
        notes.forEach(out::println);
        if (failing != null) {
            out.println(failing.header);
            failing.log.forEach(out::println);
        }
        out.flush();
    }

    /** Starts a daemon thread calling {@link #tick} every interval until the returned handle is closed. */
    public Refresh refreshEvery(Duration interval) {
        Thread thread = Thread.ofPlatform().daemon().name("build-progress").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(interval);
                    tick();
                }
            } catch (InterruptedException e) {
                // closed: the owner draws the final frame
            }
        });
        return new Refresh(thread);
    }

    /** Stops the refresh thread; waits for it so no redraw lands after the final frame. */
    public record Refresh(Thread thread) implements AutoCloseable {
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void line(String text) {
        Matcher step = afterSteps ? null : STEP.matcher(text);
        if (step != null && step.matches()) {
            endCurrent();
            total = Integer.parseInt(step.group(2));
            current = new Step(Integer.parseInt(step.group(1)), step.group(3), text, clock.instant());
            steps.add(current);
        } else if (text.startsWith("Successfully built ") || text.startsWith("Successfully tagged ")) {
            endCurrent();
            afterSteps = true;
            notes.add(text);
        } else {
            output(text);
        }
    }

    private void output(String text) {
        if (current == null || afterSteps) {
            notes.add(text);
            return;
        }
        current.log.add(text);
        if (text.equals(" ---> Using cache")) {
            current.cached = true;
        }
    }

    private void flushPartial() {
        if (!partial.isEmpty()) {
            line(partial.toString());
            partial.setLength(0);
        }
    }

    private void endCurrent() {
        if (current != null) {
            current.ended = clock.instant();
            current = null;
        }
    }

    private void draw() {
        List<String> frame = frame(clock.instant(), Math.max(2, columns.getAsInt()));
        int height = Math.max(2, rows.getAsInt()) - 1;
        while (frame.size() > height) {
            // the header stays; the oldest steps scroll away first
            frame.remove(1);
        }
        StringBuilder b = new StringBuilder();
        if (drawn > 0) {
            b.append(ESC).append(drawn).append('A');
        }
        for (String line : frame) {
            b.append('\r').append(ERASE_LINE).append(line).append('\n');
        }
        b.append(ERASE_BELOW);
        out.print(b);
        out.flush();
        drawn = frame.size();
    }

    private List<String> frame(Instant now, int width) {
        List<String> frame = new ArrayList<>();
        long done = steps.stream().filter(s -> s.number > 0 && s.ended != null && !s.failed).count();
        String header = "[+] Building " + seconds(Duration.between(start, now)) + " (" + done + "/" + total + ")"
                + (state == State.FINISHED ? " FINISHED" : "");
        frame.add(JsonMessageDisplay.fit(header, width));
        for (Step s : steps) {
            frame.add(stepLine(s, now, width));
        }
        if (current != null && state == State.RUNNING) {
            List<String> shown = current.log.stream().filter(BuildProgressView::isOutput).toList();
            for (String text : shown.subList(Math.max(0, shown.size() - TAIL_LINES), shown.size())) {
                frame.add(DIM + JsonMessageDisplay.fit(TAIL_INDENT + printable(text), width) + RESET);
            }
        }
        return frame;
    }

    private String stepLine(Step s, Instant now, int width) {
        Instant end = s.ended != null ? s.ended : now;
        String mark = s.failed ? "ERROR" : s.cached ? "CACHED" : s.ended != null ? "DONE"
                : String.valueOf(SPINNER.charAt((int) (Duration.between(start, now).toMillis() / 100 % SPINNER.length())));
        String prefix = "=> " + (s.number > 0 ? "[" + s.number + "/" + total + "] " : "");
        String suffix = "  " + seconds(Duration.between(s.started, end)) + " " + mark;
        // the label gives way first, so the time and the mark stay visible on a narrow terminal
        int room = width - 1 - prefix.length() - suffix.length();
        String label = printable(s.label);
        if (room < 1) {
            return JsonMessageDisplay.fit(prefix + label + suffix, width);
        }
        return prefix + JsonMessageDisplay.fit(label, room + 1) + suffix;
    }

    /** The builder's own bookkeeping lines are not the step's output. */
    private static boolean isOutput(String line) {
        return !line.startsWith(" ---> ") && !line.startsWith("Removing intermediate container ");
    }

    /**
     * One row of plain text: what a carriage return overwrote is gone (as on the terminal), tabs
     * become spaces to the next stop and other control characters become spaces.
     */
    static String printable(String text) {
        String s = ESCAPES.matcher(text).replaceAll("");
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        s = s.substring(s.lastIndexOf('\r', end - 1) + 1, end);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                b.append(" ".repeat(8 - b.length() % 8));
            } else {
                b.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static boolean carriesProgress(JsonNode m) {
        JsonNode detail = m.path("progressDetail");
        return detail.isObject() && !detail.isEmpty() || !m.path("progress").asText("").isEmpty();
    }
}
