package io.berth.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * struct epoll_event, laid out as the kernel reads it on each architecture: {@code u32 events; u64 data}.
 * x86-64 declares it packed (12 bytes, data at offset 4, for compatibility with 32-bit x86); every other
 * architecture aligns data naturally (16 bytes, data at offset 8). Using the wrong one makes epoll_wait write
 * past the array and hand back tokens made of half a word.
 */
public record EpollEvent(StructLayout layout, long size, long eventsOffset, long dataOffset) {

    /** The layout for this machine; fails on an architecture berth does not know. */
    public static EpollEvent current() {
        return Holder.CURRENT;
    }

    public static EpollEvent of(LinuxArch arch) {
        StructLayout layout = switch (arch) {
            case X86_64 -> MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("events"), ValueLayout.JAVA_LONG_UNALIGNED.withName("data"));
            case AARCH64 -> MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4), ValueLayout.JAVA_LONG.withName("data"));
        };
        return new EpollEvent(layout, layout.byteSize(), layout.byteOffset(groupElement("events")),
                layout.byteOffset(groupElement("data")));
    }

    /** Writes event {@code index} of an array of events. */
    public void set(MemorySegment array, int index, int events, long data) {
        long base = index * size;
        array.set(ValueLayout.JAVA_INT_UNALIGNED, base + eventsOffset, events);
        array.set(ValueLayout.JAVA_LONG_UNALIGNED, base + dataOffset, data);
    }

    public int events(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_INT_UNALIGNED, index * size + eventsOffset);
    }

    public long data(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_LONG_UNALIGNED, index * size + dataOffset);
    }

    private static final class Holder {
        static final EpollEvent CURRENT = of(LinuxArch.current());
    }
}
