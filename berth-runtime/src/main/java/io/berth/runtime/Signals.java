package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.Locale;
import java.util.Map;

/**
 * Signal names as Docker accepts them ("SIGHUP", "HUP", "9") mapped to Linux x86_64 numbers. Public for
 * the builder, which checks STOPSIGNAL with the same table as create and kill.
 */
public final class Signals {
    static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /** The signal's number, {@code fallback} when blank; InvalidArgumentException "Invalid signal: X" otherwise. */
    public static int parse(String signal, int fallback) {
        if (signal == null || signal.isBlank()) return fallback;
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            if (n < 1 || n > 64) throw new InvalidArgumentException("Invalid signal: " + signal);
            return n;
        }
        if (s.startsWith("SIG")) s = s.substring(3);
        if (s.startsWith("RTMIN")) return 34 + offset(s.substring(5), signal);
        if (s.startsWith("RTMAX")) return 64 + offset(s.substring(5), signal);
        Integer n = BY_NAME.get(s);
        if (n == null) throw new InvalidArgumentException("Invalid signal: " + signal);
        return n;
    }

    private static int offset(String rest, String original) {
        if (rest.isEmpty()) return 0;
        try {
            return Integer.parseInt(rest);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("Invalid signal: " + original);
        }
    }
}
