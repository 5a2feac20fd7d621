package io.berth.cli;

import io.berth.cli.tty.Terminal;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/**
 * The process's standard streams, UTF-8 regardless of the locale (docker prints UTF-8 always), and
 * a probe telling whether a descriptor (0, 1, 2) is a terminal. Tests pass their own.
 */
public record Io(InputStream in, PrintStream out, PrintStream err, IntPredicate terminal) {

    public static Io system() {
        return new Io(new FileInputStream(FileDescriptor.in),
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                Terminal::isTerminal);
    }

    public boolean stdinIsTerminal() {
        return terminal.test(Terminal.STDIN);
    }

    public boolean stdoutIsTerminal() {
        return terminal.test(Terminal.STDOUT);
    }
}
