package io.berth.registry.server;

import java.util.List;

/** One page of a sorted list ({@code ?n=&last=}), as tag and catalog listings paginate. */
record Page(List<String> items, boolean more) {
    static Page of(List<String> sorted, String nParam, String last) {
        List<String> after = last == null || last.isEmpty() ? sorted
                : sorted.stream().filter(s -> s.compareTo(last) > 0).toList();
        int n = parseLimit(nParam);
        if (n < 0 || n >= after.size()) {
            return new Page(after, false);
        }
        return new Page(after.subList(0, n), true);
    }

    /** The Link header for the next page, or null. */
    String nextLink(String path, String nParam) {
        if (!more || items.isEmpty()) {
            return null;
        }
        return "<" + path + "?n=" + parseLimit(nParam) + "&last="
                + java.net.URLEncoder.encode(items.getLast(), java.nio.charset.StandardCharsets.UTF_8)
                + ">; rel=\"next\"";
    }

    private static int parseLimit(String nParam) {
        if (nParam == null || nParam.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(0, Integer.parseInt(nParam));
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "invalid n: " + nParam);
        }
    }
}
