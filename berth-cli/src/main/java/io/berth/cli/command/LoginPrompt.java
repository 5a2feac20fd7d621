package io.berth.cli.command;

import io.berth.cli.CliException;
import io.berth.cli.Io;
import io.berth.cli.tty.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Asks for missing login credentials on the terminal; the password is read with echo off. */
final class LoginPrompt {

    private final Io io;

    LoginPrompt(Io io) {
        this.io = io;
        if (!io.stdinIsTerminal()) {
            throw new CliException("Error: Cannot perform an interactive login from a non TTY device");
        }
    }

    String username(String stored, boolean dockerHub) {
        if (dockerHub) {
            io.out().println("Log in with your Docker ID or email address to push and pull images from Docker Hub. "
                    + "If you don't have a Docker ID, head over to https://hub.docker.com/ to create one.");
            io.out().println();
        }
        io.out().print(stored.isEmpty() ? "Username: " : "Username (" + stored + "): ");
        io.out().flush();
        String user = readLine().strip();
        if (user.isEmpty()) {
            user = stored;
        }
        if (user.isEmpty()) {
            throw new CliException("Error: Non-null Username Required");
        }
        return user;
    }

    String password() {
        io.out().print("Password: ");
        io.out().flush();
        Terminal.RawMode echoOff = Terminal.disableEcho(Terminal.STDIN);
        String password;
        try {
            password = readLine();
        } finally {
            echoOff.restore();
            io.out().println();
        }
        if (password.isEmpty()) {
            throw new CliException("Error: Password Required");
        }
        return password;
    }

    /** One line, read byte by byte so nothing after it is consumed from stdin. */
    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = io.in().read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
