package io.berth.daemon.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Request headers, looked up case-insensitively (names are stored lower-cased). */
public final class HttpHeaders {
    private final Map<String, String> values = new LinkedHashMap<>();

    void add(String name, String value) {
        values.merge(name.toLowerCase(java.util.Locale.ROOT), value, (a, b) -> a + ", " + b);
    }

    public String get(String name) {
        return values.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public long contentLength() {
        String v = get("content-length");
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    public boolean isChunked() {
        String v = get("transfer-encoding");
        return v != null && v.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }
}
