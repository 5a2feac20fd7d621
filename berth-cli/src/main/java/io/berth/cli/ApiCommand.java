package io.berth.cli;

import io.berth.cli.progress.JsonMessageDisplay;
import io.berth.cli.progress.OutputTerminal;
import io.berth.cli.tty.Terminal;
import io.berth.client.EngineClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every command that talks to the daemon: access to the shared client and the streams. */
public abstract class ApiCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    protected BerthCommand root() {
        return (BerthCommand) spec.root().userObject();
    }

    protected EngineClient client() {
        return root().client();
    }

    protected Io io() {
        return root().io();
    }

    protected PrintStream out() {
        return io().out();
    }

    protected PrintStream err() {
        return io().err();
    }

    protected InputStream in() {
        return io().in();
    }

    /** Progress shown on stdout: redrawn in place when stdout is a terminal, plain lines otherwise. */
    protected JsonMessageDisplay stdoutProgress() {
        return new JsonMessageDisplay(out(), OutputTerminal.of(io().terminal(), Terminal.STDOUT));
    }

    protected Map<String, String> env() {
        return root().env();
    }

    /** Exit status for an error answered by the daemon: 1 like most docker commands; run/create use 125. */
    public int apiErrorStatus() {
        return 1;
    }

    /** Whether daemon errors are printed as "berth: Error response..." followed by a usage hint (run, create). */
    public boolean verboseErrors() {
        return false;
    }
}
