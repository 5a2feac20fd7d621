package io.berth.daemon.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The route table: method + path pattern with {name} segments. A {name*} segment as the last one takes
 * the rest of the path (image names contain slashes: /images/{name*}/json is matched from the end).
 */
public final class Router implements RouteTable {
    private record Route(String method, String[] segments, Handler handler) {}

    public sealed interface Match {
        record Found(Handler handler, Map<String, String> params) implements Match {}
        record MethodNotAllowed() implements Match {}
        record NotFound() implements Match {}
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, pattern.substring(1).split("/"), handler));
        return this;
    }

    @Override
    public Match match(String method, String path) {
        String[] parts = path.length() > 1 ? path.substring(1).split("/", -1) : new String[] {""};
        boolean pathMatched = false;
        for (Route route : routes) {
            Map<String, String> params = matchPath(route.segments, parts);
            if (params == null) continue;
            pathMatched = true;
            if (route.method.equals(method) || (method.equals("HEAD") && route.method.equals("GET"))) {
                return new Match.Found(route.handler, params);
            }
        }
        return pathMatched ? new Match.MethodNotAllowed() : new Match.NotFound();
    }

    private static Map<String, String> matchPath(String[] pattern, String[] parts) {
        Map<String, String> params = new HashMap<>();
        int greedy = -1;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].endsWith("*}")) greedy = i;
        }
        if (greedy < 0) {
            if (pattern.length != parts.length) return null;
            return matchSegments(pattern, 0, parts, 0, pattern.length, params) ? params : null;
        }
        // Segments before the greedy one match from the start, those after it from the end.
        int after = pattern.length - greedy - 1;
        if (parts.length < pattern.length) return null;
        if (!matchSegments(pattern, 0, parts, 0, greedy, params)) return null;
        if (!matchSegments(pattern, greedy + 1, parts, parts.length - after, after, params)) return null;
        String name = pattern[greedy].substring(1, pattern[greedy].length() - 2);
        String value = String.join("/", java.util.Arrays.copyOfRange(parts, greedy, parts.length - after));
        if (value.isEmpty()) return null;
        params.put(name, decode(value));
        return params;
    }

    private static boolean matchSegments(String[] pattern, int pFrom, String[] parts, int sFrom, int count,
                                         Map<String, String> params) {
        for (int i = 0; i < count; i++) {
            String p = pattern[pFrom + i];
            String s = parts[sFrom + i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (s.isEmpty()) return false;
                params.put(p.substring(1, p.length() - 1), decode(s));
            } else if (!p.equals(s)) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
