package io.berth.registry.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code Range}/{@code Content-Range} forms of the upload protocol: inclusive {@code start-end}. */
final class UploadRange {
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

    private UploadRange() {
    }

    /** The Range header announcing {@code size} bytes received ("0-0" for none, as distribution does). */
    static String header(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** Start and end (inclusive) of a PATCH's Content-Range; BLOB_UPLOAD_INVALID (416) when malformed. */
    static long[] parse(String contentRange) {
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                    "malformed Content-Range: " + contentRange, java.util.Map.of());
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                    "Content-Range ends before it starts: " + contentRange, java.util.Map.of());
        }
        return new long[] {start, end};
    }
}
