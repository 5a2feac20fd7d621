package io.berth.registry.server;

import java.util.regex.Pattern;

/** A tag name as the spec allows it (also a safe file name: no {@code /}, cannot start with {@code .}). */
public record Tag(String value) {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.TAG_INVALID, "invalid tag: " + value);
        }
    }

    public static boolean isValid(String text) {
        return text != null && TAG.matcher(text).matches();
    }
}
