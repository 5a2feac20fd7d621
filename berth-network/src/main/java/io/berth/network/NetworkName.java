package io.berth.network;

import java.util.regex.Pattern;

import io.berth.oci.errors.InvalidArgumentException;

/** Docker's rule for a network's name: a letter or digit, then at least one letter, digit, '_', '.' or '-'. */
public final class NetworkName {
    private static final Pattern RULE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** Far above any real name; keeps a hostile request from filling the store with one huge document. */
    static final int MAX_LENGTH = 255;

    private NetworkName() {}

    public static void check(String name) {
        if (name == null || name.isEmpty()) throw new InvalidArgumentException("network name cannot be empty");
        if (name.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("invalid network name: at most " + MAX_LENGTH + " characters");
        }
        if (!RULE.matcher(name).matches()) {
            throw new InvalidArgumentException("invalid network name \"" + name.replaceAll("[^\\x20-\\x7e]", "?")
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }
}
