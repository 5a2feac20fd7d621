package io.berth.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;

/**
 * The record format of a log's files, one per driver family; {@link LogReader} reads both the same way (files,
 * rotation, follow, tail, since/until) and asks the format only to cut a window into records:
 * <pre>
 * K8S_FILE   conmon's records, {@code <time> stdout|stderr F|P <data>}: k8s-file and local, and every container
 *            whose log was written before json-file had its own format (its ctr.log)
 * JSON_FILE  Docker's json-file lines ({@link JsonLogLines}), written by berthd from conmon's spool ({@link JsonLogCopier})
 * </pre>
 */
enum LogFormat {
    K8S_FILE {
        @Override
        long deliverAll(MemorySegment seg, long len, LogTimeParser times, LogReader.RecordSink sink) {
            return LogReader.deliverK8s(seg, len, times, sink);
        }

        @Override
        boolean isFullRecord(FileChannel ch, long start, long newline) throws IOException {
            return LogReader.isFullK8sRecord(ch, start);
        }
    },
    JSON_FILE {
        @Override
        long deliverAll(MemorySegment seg, long len, LogTimeParser times, LogReader.RecordSink sink) {
            return JsonLogReading.deliverAll(seg, len, times, sink);
        }

        @Override
        boolean isFullRecord(FileChannel ch, long start, long newline) throws IOException {
            return JsonLogReading.isFullRecord(ch, start, newline);
        }
    };

    /** Delivers the complete records in {@code seg[0, len)}; returns the bytes they take, or -1 when told to stop. */
    abstract long deliverAll(MemorySegment seg, long len, LogTimeParser times, LogReader.RecordSink sink);

    /** Whether the record in {@code [start, newline)} of the file ends a line (is not partial). */
    abstract boolean isFullRecord(FileChannel ch, long start, long newline) throws IOException;

    /**
     * A container's format: json-file's unless its log was written before berthd wrote json-file's own (a ctr.log in
     * its directory means conmon writes there directly, and keeps doing so, so that the whole log stays one format).
     */
    static LogFormat of(LogSettings settings, ContainerPaths paths) {
        return settings.driver().equals("json-file") && !Files.exists(paths.logFile()) ? JSON_FILE : K8S_FILE;
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) throw new IOException("log shrank while read");
        }
    }
}
