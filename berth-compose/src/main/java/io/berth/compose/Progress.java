package io.berth.compose;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compose v2's progress on stderr. On a terminal, one line per object redrawn in place under
 * "[+] Running k/n" (" ✔ Container app-web-1  Started"); otherwise plain lines as they happen
 * (" Container app-web-1  Starting"), like {@code --progress plain}.
 */
final class Progress {
    private record Line(String kind, String name, String status, boolean done, long startNanos, long endNanos) {}

    private final PrintStream err;
    private final boolean tty;
    private final String verb;
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private int drawn;

    Progress(PrintStream err, boolean tty, String verb) {
        this.err = err;
        this.tty = tty;
        this.verb = verb;
    }

    synchronized void working(String kind, String name, String status) {
        Line old = lines.get(kind + " " + name);
        lines.put(kind + " " + name, new Line(kind, name, status, false, old == null ? System.nanoTime() : old.startNanos(), 0));
        show(kind, name, status);
    }

    synchronized void done(String kind, String name, String status) {
        Line old = lines.get(kind + " " + name);
        long now = System.nanoTime();
        lines.put(kind + " " + name, new Line(kind, name, status, true, old == null ? now : old.startNanos(), now));
        show(kind, name, status);
    }

    private void show(String kind, String name, String status) {
        if (!tty) {
            err.println(" " + kind + " " + name + "  " + status);
            err.flush();
            return;
        }
        redraw();
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) sb.append("\033[").append(drawn).append("F");
        long done = lines.values().stream().filter(Line::done).count();
        sb.append("\033[2K[+] ").append(verb).append(' ').append(done).append('/').append(lines.size()).append('\n');
        int width = lines.values().stream().mapToInt(l -> l.kind().length() + l.name().length() + 1).max().orElse(0);
        List<Line> all = new ArrayList<>(lines.values());
        for (Line l : all) {
            String label = l.kind() + " " + l.name();
            double secs = ((l.done() ? l.endNanos() : System.nanoTime()) - l.startNanos()) / 1e9;
            sb.append("\033[2K ").append(l.done() ? "\033[32m✔\033[0m" : "⠿").append(' ').append(label)
                    .append(" ".repeat(Math.max(2, width - label.length() + 2))).append(l.done() ? "\033[34m" : "")
                    .append(l.status()).append(l.done() ? "\033[0m" : "")
                    .append(String.format("%10.1fs", secs)).append('\n');
        }
        drawn = all.size() + 1;
        err.print(sb);
        err.flush();
    }
}
