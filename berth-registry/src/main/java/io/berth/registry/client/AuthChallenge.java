package io.berth.registry.client;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What a registry's {@code WWW-Authenticate} header asks for: Basic credentials or a Bearer token. */
public sealed interface AuthChallenge {
    /** Send the user's name and password on every request. */
    record Basic(String realm) implements AuthChallenge {
    }

    /**
     * Fetch a token from {@code realm} (with Basic credentials, or anonymously) for {@code service} and
     * {@code scope}, then send it as {@code Authorization: Bearer}.
     *
     * @param scope the scope the registry named, or null
     */
    record Bearer(String realm, String service, String scope) implements AuthChallenge {
    }

    /** The first Basic or Bearer challenge among the header values; empty for other schemes. */
    static Optional<AuthChallenge> parse(List<String> headerValues) {
        for (String value : headerValues) {
            Optional<AuthChallenge> parsed = parse(value);
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        return Optional.empty();
    }

    static Optional<AuthChallenge> parse(String header) {
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = space < 0 ? Map.of() : parameters(h.substring(space + 1));
        return switch (scheme) {
            case "basic" -> Optional.of(new Basic(params.get("realm")));
            case "bearer" -> params.containsKey("realm")
                    ? Optional.of(new Bearer(params.get("realm"), params.get("service"), params.get("scope")))
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Parses {@code k1="v1", k2=v2} (RFC 7235 auth-params; quoted strings may escape with a backslash). */
    private static Map<String, String> parameters(String text) {
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    value.append(c);
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.put(key, value.toString().strip());
        }
        return params;
    }
}
