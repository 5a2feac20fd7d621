package io.berth.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds an encoded query string; null values are skipped so optional parameters stay optional. */
public final class Query {

    private final List<String> pairs = new ArrayList<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String name, Object value) {
        if (value != null) {
            pairs.add(encode(name) + "=" + encode(String.valueOf(value)));
        }
        return this;
    }

    /** Docker's boolean parameters: sent as 1 when set, left out otherwise. */
    public Query flag(String name, boolean value) {
        if (value) {
            pairs.add(encode(name) + "=1");
        }
        return this;
    }

    /** Booleans the daemon defaults to true, always sent explicitly. */
    public Query bool(String name, boolean value) {
        pairs.add(encode(name) + "=" + value);
        return this;
    }

    public Query addAll(String name, List<String> values) {
        values.forEach(v -> add(name, v));
        return this;
    }

    public String toString() {
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Encodes one path segment such as a container name or an image reference; slashes and colons
     * of image references stay literal, as the docker CLI sends them.
     */
    public static String path(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~:/@+=".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
