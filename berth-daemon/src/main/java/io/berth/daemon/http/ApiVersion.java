package io.berth.daemon.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Engine API versions berthd speaks, and the `/vX.Y` path prefix clients may send. */
public final class ApiVersion {
    public static final String CURRENT = "1.43";
    public static final String MINIMUM = "1.24";
    public static final String ENGINE = "0.1.0";
    private static final Pattern PREFIX = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

    private ApiVersion() {}

    /**
     * Whether a request's API version is older than 1.{@code minor}, where Docker's answer changed; a version too
     * long for an int is no old client's.
     */
    public static boolean before(String apiVersion, int minor) {
        if (apiVersion == null) return false;
        String[] parts = apiVersion.split("\\.");
        try {
            return Integer.parseInt(parts[0]) < 1 || Integer.parseInt(parts[0]) == 1 && Integer.parseInt(parts[1]) < minor;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Splits "/v1.43/containers/json" into version "1.43" and path "/containers/json". */
    static String[] split(String path) {
        Matcher m = PREFIX.matcher(path);
        return m.matches() ? new String[] {m.group(1), m.group(2)} : new String[] {CURRENT, path};
    }
}
