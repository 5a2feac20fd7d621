package io.berth.cli.command;

import io.berth.cli.Io;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** docker's "Are you sure you want to continue? [y/N]" prompt. */
final class Confirm {

    private Confirm() {}

    static boolean ask(Io io, String warning) {
        io.out().print(warning + "\nAre you sure you want to continue? [y/N] ");
        io.out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
