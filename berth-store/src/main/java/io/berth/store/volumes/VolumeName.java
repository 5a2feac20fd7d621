package io.berth.store.volumes;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * Docker's rule for a local volume's name: an ASCII letter or digit, then at least one more of letters, digits,
 * '_', '.', '-'. So a name is one path element that is never ".", ".." or hidden: the store's temp entries start
 * with '.' and can never collide with a volume. The length cap keeps DATA-ROOT/volumes/NAME within NAME_MAX.
 */
public final class VolumeName {
    private static final Pattern RULE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    static final int MAX_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VolumeName() {}

    /** Refuses {@code name} with Docker's message unless it follows the rule. */
    public static void check(String name) {
        if (name == null || !RULE.matcher(name).matches()) {
            throw new InvalidArgumentException("create " + name + ": \"" + name + "\" includes invalid characters"
                    + " for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to"
                    + " pass a host directory, use absolute path");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("create " + name.substring(0, 16) + "...: a volume name may have at most "
                    + MAX_LENGTH + " characters");
        }
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && RULE.matcher(name).matches();
    }

    /** An anonymous volume's name: 64 random hex digits, as Docker's. */
    public static String anonymous() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
