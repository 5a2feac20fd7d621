package io.berth.runtime;

import io.berth.linux.ErrnoException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The events a non-blocking inotify descriptor holds, read until it has none: {@code struct inotify_event}s. */
final class InotifyEvents {
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    /** int wd, uint32 mask, cookie, len; then len bytes of NUL-padded name. */
    private static final int HEADER = 16;

    /** One event: its watch descriptor, mask, and the name of the file in a watched directory ("" for the directory). */
    interface Handler {
        void event(int wd, int mask, String name);
    }

    private InotifyEvents() {}

    /** Hands over every event {@code fd} holds; {@code buf} must hold a whole event (the kernel never splits one). */
    static void drain(int fd, MemorySegment buf, Handler handler) throws ErrnoException {
        int n;
        while ((n = LinuxCalls.readNonBlocking(fd, buf)) > 0) {
            long off = 0;
            while (off + HEADER <= n) {
                int wd = buf.get(ValueLayout.JAVA_INT, off);
                int mask = buf.get(ValueLayout.JAVA_INT, off + 4);
                int len = buf.get(ValueLayout.JAVA_INT, off + 12);
                String name = len > 0 ? buf.getString(off + HEADER) : "";
                off += HEADER + len;
                handler.event(wd, mask, name);
            }
        }
    }
}
