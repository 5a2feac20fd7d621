package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.client.EngineClient;
import io.berth.client.HttpResponse;
import io.berth.client.StreamDemux;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Container logs as Compose prints them: each line prefixed with the container's name without the
 * project ({@code web-1  | }), padded to the longest, coloured per container on a terminal.
 */
final class LogPrinter {
    private static final String[] COLORS = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

    private final EngineClient client;
    private final PrintStream out;
    private final boolean color;
    private final String project;

    LogPrinter(EngineClient client, PrintStream out, boolean color, String project) {
        this.client = client;
        this.out = out;
        this.color = color;
        this.project = project;
    }

    String prefixName(JsonNode c) {
        String name = Compose.name(c);
        return name.startsWith(project + "-") ? name.substring(project.length() + 1) : name;
    }

    /** Prints the containers' logs; with {@code follow}, until every stream ends. */
    void print(List<JsonNode> containers, boolean follow, String tail, boolean timestamps, boolean noPrefix) {
        int width = containers.stream().mapToInt(c -> prefixName(c).length()).max().orElse(0);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String name = prefixName(c);
            String pad = name + " ".repeat(width - name.length());
            String prefix = noPrefix ? "" : color ? "\033[" + COLORS[i % COLORS.length] + "m" + pad + "  | \033[0m" : pad + "  | ";
            Runnable task = () -> stream(c, prefix, follow, tail, timestamps);
            if (follow) {
                threads.add(Thread.ofVirtual().start(task));
            } else {
                task.run();
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stream(JsonNode c, String prefix, boolean follow, String tail, boolean timestamps) {
        String id = c.path("Id").asText();
        boolean tty = client.inspectContainer(id, false).path("Config").path("Tty").asBoolean(false);
        try (HttpResponse r = client.logs(id, new EngineClient.LogsOptions(follow, true, true, null, null, timestamps, false, tail))) {
            LineWriter lines = new LineWriter(prefix);
            InputStream in = r.body();
            if (tty) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) lines.write(buf, n);
            } else {
                StreamDemux.Frame f;
                while ((f = StreamDemux.readFrame(in)) != null) lines.write(f.payload(), f.payload().length);
            }
            lines.flush();
        } catch (IOException e) {
            // the stream ended with the container
        }
    }

    /** Cuts a byte stream into lines and prints each whole line with the prefix. */
    private final class LineWriter {
        private final String prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineWriter(String prefix) {
            this.prefix = prefix;
        }

        void write(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    emit();
                } else {
                    line.write(b[i]);
                }
            }
        }

        void flush() {
            if (line.size() > 0) emit();
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            synchronized (out) {
                out.println(prefix + text);
                out.flush();
            }
        }
    }
}
