package io.berth.cli;

import io.berth.cli.format.TemplateException;
import io.berth.client.EngineApiException;
import io.berth.client.EngineConnectionException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the {@code berth} CLI. Exit statuses follow docker: 0 on success, 1 for most
 * errors, 125 for flag errors and for daemon errors in run/create, 126/127 when the container's
 * command cannot be invoked / is not found, otherwise the container's or exec's own status.
 */
public final class Main {

    public static final String VERSION = "0.1.0";

    /**
     * The JDK's selector provider, named so that the first socket does not look for one on the class path
     * (see {@link #noClassPathLookups}).
     */
    static final String SELECTOR_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    static {
        noClassPathLookups();
    }

    private Main() {}

    /**
     * A lookup that misses on the application class loader walks every jar of the class path, opening each and
     * reading its central directory: 22 jars (~3,000 entries, parsed by interpreted code) cost ~30 ms of CPU, a
     * fifth of an {@code exec}, and the AOT cache spares the CLI every other jar access. Three such lookups
     * were on every call: picocli's {@code DefaultFactory} probing for Groovy's {@code Closure} (its documented
     * switch turns that off), {@code SelectorProvider} looking for a provider service on the class path before
     * it takes the JDK's (a name given in its documented property is loaded from the JDK instead), and
     * {@code System.exit}, which asks for the {@code java.lang.Runtime} logger and so for a {@code
     * LoggerFinder} service ({@link #main} halts instead).
     */
    static void noClassPathLookups() {
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        String provider = "java.nio.channels.spi.SelectorProvider";
        if (System.getProperty(provider) == null && jdkHas(SELECTOR_PROVIDER)) {
            System.setProperty(provider, SELECTOR_PROVIDER);
        }
    }

    /** Whether the JDK itself has the class: the boot loader looks in its modules, never on the class path. */
    private static boolean jdkHas(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) {
        Io io = Io.system();
        AotCheck.check(System.getProperty(AotCheck.CACHE_PROPERTY), System.getProperty("java.vm.info"), io.err());
        int status = run(args, io, System.getenv());
        io.out().flush();
        io.err().flush();
        System.out.flush();
        System.err.flush();
        // Not System.exit: its logger lookup walks the class path (above). The CLI registers no shutdown hook
        // and its streams are flushed, so halting ends the process the same way, with the same status.
        Runtime.getRuntime().halt(status);
    }

    public static int run(String[] args, Io io, Map<String, String> env) {
        CommandLine cl = new CommandLine(new BerthCommand(io, env).model());
        String[] words = commandWords(args);
        if (words.length > 0 || !asksOnlyForVersion(args)) {
            register(cl, CommandTable.root(), words, 0);
        }
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine sub = ex.getCommandLine();
            io.err().println("berth: " + ex.getMessage());
            io.err().println("See '" + sub.getCommandSpec().qualifiedName() + " --help'.");
            return 125;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine.getCommand(), io));
        return cl.execute(args);
    }

    /** Registers only the entry the arguments name at this level, or all entries when none matches. */
    private static void register(CommandLine parent, List<CommandTable.Entry> entries, String[] words, int depth) {
        String word = depth < words.length ? words[depth] : null;
        for (CommandTable.Entry e : entries) {
            if (word != null && e.matches(word)) {
                parent.addSubcommand(e.name(), build(e, words, depth), e.aliases().toArray(String[]::new));
                return;
            }
        }
        for (CommandTable.Entry e : entries) {
            parent.addSubcommand(e.name(), build(e, new String[0], depth), e.aliases().toArray(String[]::new));
        }
    }

    private static CommandLine build(CommandTable.Entry e, String[] words, int depth) {
        CommandLine cl = e.build();
        if (e.children() != null) {
            register(cl, e.children(), words, depth + 1);
        }
        return cl;
    }

    /** The command and subcommand names in the arguments, skipping the global options before them. */
    static String[] commandWords(String[] args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String a = args[i];
            i += (a.equals("-H") || a.equals("--host")) ? 2 : 1;
        }
        if (i >= args.length) {
            return new String[0];
        }
        if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
            return new String[] {args[i], args[i + 1]};
        }
        return new String[] {args[i]};
    }

    /**
     * Whether the arguments are global options asking for the version ({@code berth -v}): the root
     * then prints one line and no command list, so building every command's model would be wasted.
     */
    static boolean asksOnlyForVersion(String[] args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-H") || a.equals("--host")) {
                i++;
            } else if (!a.startsWith("-") || a.equals("--help")) {
                return false;
            } else {
                version |= a.equals("-v") || a.equals("--version");
            }
        }
        return version;
    }

    static int report(Exception ex, Object command, Io io) {
        ApiCommand api = command instanceof ApiCommand a ? a : null;
        int apiStatus = api == null ? 1 : api.apiErrorStatus();
        boolean verbose = api != null && api.verboseErrors();
        switch (ex) {
            case CliException e -> {
                if (e.getMessage() != null && !e.getMessage().isEmpty()) {
                    io.err().println(e.getMessage());
                }
                return e.status();
            }
            case EngineApiException e when e.streamed() && !verbose -> {
                // An error ending a progress stream is the operation's own message, not an HTTP error.
                io.err().println(e.getMessage());
                return apiStatus;
            }
            case EngineApiException e -> {
                if (verbose) {
                    io.err().println("berth: Error response from daemon: " + e.getMessage());
                    io.err().println();
                    io.err().println("Run '" + qualifiedName(command) + " --help' for more information");
                } else {
                    io.err().println("Error response from daemon: " + e.getMessage());
                }
                return apiStatus;
            }
            case EngineConnectionException e -> {
                io.err().println((verbose ? "berth: " : "") + e.getMessage());
                return apiStatus;
            }
            case TemplateException e -> {
                io.err().println("template parsing error: " + e.getMessage());
                return 1;
            }
            case IllegalArgumentException e -> {
                io.err().println((verbose ? "berth: " : "") + e.getMessage());
                return verbose ? 125 : 1;
            }
            case UncheckedIOException e -> {
                io.err().println(e.getCause().getMessage());
                return apiStatus;
            }
            default -> {
                io.err().println("berth: " + ex);
                return 1;
            }
        }
    }

    private static String qualifiedName(Object command) {
        if (command instanceof ApiCommand a) {
            return "berth " + a.spec.name();
        }
        return "berth";
    }
}
