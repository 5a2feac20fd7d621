package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.format.Humanize;
import io.berth.cli.progress.BuildProgressView;
import io.berth.cli.progress.JsonMessageDisplay;
import io.berth.cli.progress.OutputTerminal;
import io.berth.cli.tty.Terminal;
import io.berth.client.BuildOptions;
import io.berth.client.EngineApiException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code build}: the classic (non-BuildKit) builder client. The context is streamed to {@code POST /build};
 * the answer's {@code stream} text is printed as is, its {@code aux} message carries the image id. A failed
 * step arrives as an {@code error} message: its text goes to stderr and the exit status is 1.
 *
 * <p>{@code --progress} picks how the messages are shown: {@code plain} prints them as they come,
 * {@code tty} draws a {@link BuildProgressView}, {@code auto} (the default) chooses tty when stdout is a
 * terminal. {@code -q} wins over both.
 */
@Command(name = "build", description = "Build an image from a Dockerfile",
        customSynopsis = "berth build [OPTIONS] PATH | URL | -")
public final class BuildCommand extends ApiCommand {

    @Option(names = {"-t", "--tag"}, paramLabel = "list", description = "Name and optionally a tag in the \"name:tag\" format")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "string", description = "Name of the Dockerfile (Default is \"PATH/Dockerfile\")")
    String file;

    @Option(names = "--build-arg", paramLabel = "list", description = "Set build-time variables")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for an image")
    List<String> labels = new ArrayList<>();

    @Option(names = "--target", paramLabel = "string", description = "Set the target build stage to build.")
    String target;

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;

    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "string", description = "Write the image ID to the file")
    Path iidFile;

    @Option(names = "--network", paramLabel = "string", defaultValue = "default",
            description = "Set the networking mode for the RUN instructions during build")
    String network;

    @Option(names = "--cache-from", paramLabel = "strings", description = "Images to consider as cache sources")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "string", defaultValue = "auto",
            description = "Set type of progress output (\"auto\", \"plain\", \"tty\")")
    String progress;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "PATH | -")
    String context;

    @Override
    public Integer call() throws IOException {
        if (context.startsWith("http://") || context.startsWith("https://") || context.startsWith("git@")
                || context.startsWith("git://")) {
            throw new CliException(1, "unable to prepare context: remote build contexts are not supported: " + context);
        }
        ProgressMode mode = ProgressMode.parse(progress);
        if (iidFile != null) {
            // a stale id must not survive a failed build
            Files.deleteIfExists(iidFile);
        }
        BuildContextSource source = BuildContextSource.open(context, file, in(), Path.of("").toAbsolutePath());
        BuildOptions options = new BuildOptions(tags, source.dockerfile(), buildArgs(buildArgs, env()), labels(labels),
                target, noCache, pull, quiet, network, cacheFrom);

        // In quiet mode the output is kept and shown only if the build fails, as docker does.
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        PrintStream progressOut = quiet ? new PrintStream(kept, true, StandardCharsets.UTF_8) : out();
        BuildProgressView view = !quiet && mode.drawsView(io().stdoutIsTerminal()) ? progressView() : null;
        Consumer<JsonNode> printer = quiet ? new JsonMessageDisplay(progressOut) : view != null ? view : stdoutProgress();
        LongConsumer contextSent = view != null ? view::contextSent : bytes -> {
            progressOut.println(String.format("Sending build context to Docker daemon %8s", Humanize.size(bytes)));
            progressOut.println();
            progressOut.flush();
        };
        String[] imageId = {null};
        try (InputStream tar = quiet ? source.tar() : new UploadReport(source.tar(), contextSent);
             BuildProgressView.Refresh refresh = view != null ? view.refreshEvery(REFRESH) : null) {
            client().build(options, tar, message -> {
                JsonNode id = message.path("aux").path("ID");
                if (id.isTextual()) {
                    imageId[0] = id.asText();
                } else {
                    printer.accept(message);
                }
            });
        } catch (EngineApiException e) {
            if (quiet) {
                err().print(kept.toString(StandardCharsets.UTF_8));
            }
            if (view != null) {
                view.fail();
            }
            throw e;
        } catch (RuntimeException e) {
            if (view != null) {
                view.fail();
            }
            throw e;
        }
        if (view != null) {
            view.finish();
        }
        if (quiet) {
            // the daemon's own quiet output (the id as stream text) stands in when it sent no aux message
            out().print(imageId[0] != null ? imageId[0] + "\n" : kept.toString(StandardCharsets.UTF_8));
        }
        if (iidFile != null) {
            if (imageId[0] == null) {
                throw new CliException(1, "Server did not provide an image ID. Cannot write " + iidFile);
            }
            Files.writeString(iidFile, imageId[0]);
        }
        return 0;
    }

    private static final Duration REFRESH = Duration.ofMillis(100);

    /** The values of {@code --progress}. */
    enum ProgressMode {
        AUTO, PLAIN, TTY;

        static ProgressMode parse(String value) {
            return switch (value) {
                case "auto" -> AUTO;
                case "plain" -> PLAIN;
                case "tty" -> TTY;
                default -> throw new IllegalArgumentException(
                        "invalid argument \"" + value + "\" for \"--progress\" flag: must be one of auto, plain, tty");
            };
        }

        boolean drawsView(boolean stdoutIsTerminal) {
            return this == TTY || this == AUTO && stdoutIsTerminal;
        }
    }

    /**
     * The live view on stdout. Its size is read from the terminal on every redraw; with {@code --progress=tty}
     * on something that is not a terminal, the frame is drawn for docker's default width and no height limit.
     */
    private BuildProgressView progressView() {
        boolean terminal = io().stdoutIsTerminal();
        OutputTerminal width = OutputTerminal.of(io().terminal(), Terminal.STDOUT);
        return new BuildProgressView(out(), width.columns(), () -> {
            int[] size = terminal ? Terminal.size(Terminal.STDOUT) : null;
            return size == null ? Integer.MAX_VALUE : size[0];
        }, InstantSource.system());
    }

    /**
     * {@code KEY=VALUE} as given; a bare {@code KEY} takes its value from the environment, or is sent as null
     * (no value: the Dockerfile's ARG default applies) when the environment has none.
     */
    static Map<String, String> buildArgs(List<String> args, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq == 0) {
                throw new IllegalArgumentException("invalid argument \"" + a + "\" for \"--build-arg\" flag: variable name is empty");
            }
            if (eq > 0) {
                out.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                out.put(a, env.get(a));
            }
        }
        return out;
    }

    /** {@code KEY=VALUE}; a bare {@code KEY} is a label with an empty value. */
    static Map<String, String> labels(List<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            out.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return out;
    }

    /** Counts the context bytes as they are sent and reports the total when the upload is complete. */
    private static final class UploadReport extends FilterInputStream {
        private final LongConsumer onSent;
        private long sent;
        private boolean reported;

        UploadReport(InputStream in, LongConsumer onSent) {
            super(in);
            this.onSent = onSent;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sent += n;
            } else if (n < 0 && !reported) {
                reported = true;
                onSent.accept(sent);
            }
            return n;
        }
    }
}
