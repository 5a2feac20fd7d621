package io.berth.daemon;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.berth.linux.LinuxArch;
import io.berth.oci.errors.InvalidArgumentException;

/** berthd's entry point: parse flags, wire the engine, serve until SIGTERM/SIGINT. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // berth-linux's struct layouts are per architecture: on one it does not know, calls would corrupt memory (and
        // FFM's linker, which the wiring binds, aborts the JVM on an architecture it does not have)
        var unavailable = LinuxArch.unavailabilityCause();
        if (unavailable.isPresent()) {
            System.err.println("berthd: " + unavailable.get());
            System.exit(1);
            return;
        }
        configureLogging();
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(args);
        } catch (InvalidArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("berthd: needs root (it mounts overlayfs and creates namespaces and cgroups)");
            System.exit(1);
        }
        Daemon daemon;
        try {
            daemon = Daemon.bind(options);
        } catch (StartRefusedException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(1);
            return;
        }
        // From the bind on, a SIGTERM closes what is there: the socket and the data root, and the engine once wired.
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "berthd-shutdown"));
        Logger.getLogger("berthd").info("berthd listening on " + options.hosts().stream().map(h -> h.uri())
                .collect(java.util.stream.Collectors.joining(", ")) + " (data " + options.dataRoot() + ")");
        daemon.wire();
        daemon.awaitClose();
    }

    private static void configureLogging() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter() {
            @Override
            public String format(LogRecord r) {
                String thrown = "";
                if (r.getThrown() != null) {
                    var sw = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                    thrown = "\n" + sw;
                }
                return java.time.Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel() + " " + r.getLoggerName()
                        + ": " + formatMessage(r) + thrown + "\n";
            }
        });
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }
}
