package io.berth.cli.command;

import io.berth.cli.Io;
import io.berth.cli.tty.Terminal;
import io.berth.client.HijackedStream;
import io.berth.client.StreamDemux;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BiConsumer;

/**
 * The local end of an attach or exec session: the container's output to our stdout/stderr
 * (demultiplexed unless it has a TTY), our stdin to the container (then a half-close, so the
 * process sees end of input), the terminal in raw mode and its size followed through SIGWINCH.
 */
public final class AttachedSession {

    private final Io io;
    private final boolean tty;
    private final boolean forwardStdin;
    private Terminal.RawMode rawMode;

    public AttachedSession(Io io, boolean tty, boolean forwardStdin) {
        this.io = io;
        this.tty = tty;
        this.forwardStdin = forwardStdin;
    }

    /** Raw mode applies only when we forward a terminal stdin into a TTY container. */
    public void enterRawMode() {
        if (tty && forwardStdin && io.stdinIsTerminal()) {
            rawMode = Terminal.makeRaw(Terminal.STDIN);
        }
    }

    public void restoreTerminal() {
        if (rawMode != null) {
            rawMode.restore();
        }
    }

    /** Sends the current size now and again on every SIGWINCH; {@code resize} gets (rows, columns). */
    public void followTerminalSize(BiConsumer<Integer, Integer> resize) {
        if (!tty || !io.stdoutIsTerminal()) {
            return;
        }
        Runnable send = () -> {
            int[] size = Terminal.size(Terminal.STDOUT);
            if (size != null) {
                try {
                    resize.accept(size[0], size[1]);
                } catch (RuntimeException ignored) {
                    // a resize racing with the container's exit is harmless
                }
            }
        };
        send.run();
        Signals.handle("WINCH", () -> Thread.ofVirtual().start(send));
    }

    /** Pumps both directions until the container's output ends. */
    public void pump(HijackedStream stream) throws IOException {
        if (forwardStdin) {
            Thread.ofPlatform().daemon().name("stdin").start(() -> copyStdin(io.in(), stream));
        }
        try {
            StreamDemux.copy(tty, stream.in(), io.out(), io.err());
        } finally {
            io.out().flush();
            io.err().flush();
            stream.close();
        }
    }

    private static void copyStdin(InputStream in, HijackedStream stream) {
        try {
            OutputStream out = stream.out();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            stream.closeWrite();
        } catch (IOException ignored) {
            // the container closed its end: nothing left to deliver
        }
    }
}
