package io.berth.cli.progress;

import io.berth.cli.tty.Terminal;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * What a progress display knows about the stream it writes to: whether it is a terminal (so lines
 * may be redrawn in place) and how many columns it has. The width is asked for on every redraw, as
 * docker does, so resizing the window during a pull takes effect at the next update.
 */
public record OutputTerminal(boolean isTerminal, IntSupplier columns) {

    /** Docker's width when the window size cannot be read. */
    public static final int DEFAULT_COLUMNS = 200;

    public static final OutputTerminal NONE = new OutputTerminal(false, () -> DEFAULT_COLUMNS);

    /** The terminal behind descriptor fd (1 or 2), probed with the given predicate. */
    public static OutputTerminal of(IntPredicate isTerminal, int fd) {
        if (!isTerminal.test(fd)) {
            return NONE;
        }
        return new OutputTerminal(true, () -> {
            int[] size = Terminal.size(fd);
            return size == null ? DEFAULT_COLUMNS : size[1];
        });
    }

    /** A terminal of fixed width, for tests and for output that must not depend on the real window. */
    public static OutputTerminal fixed(int columns) {
        return new OutputTerminal(true, () -> columns);
    }
}
