package io.berth.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The native buffers {@link JsonLogCopier}s convert into (~1.4 MB each), lent to a copier only while it has records
 * to convert. A copier that held its own for the container's life made a berthd with 50 running containers hold
 * 70 MB of them (mostly idle copiers), and the C heap kept most of it resident after the containers were gone.
 * A few are kept for the next copier with records (each is zeroed once, at its allocation); those past that go.
 */
final class LogBatches {
    /** Buffers kept while nobody borrows them: about as many copiers as can convert at once on a small machine. */
    static final int SPARES = 2;

    private final long size;
    private final int spares;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    /** Every buffer that exists, lent or not, with the arena that frees it (a shared one: copiers run on any thread). */
    private final Map<MemorySegment, Arena> arenas = new IdentityHashMap<>();

    LogBatches(long size, int spares) {
        this.size = size;
        this.spares = spares;
    }

    synchronized MemorySegment borrow() {
        MemorySegment s = free.pollFirst();
        if (s != null) return s;
        Arena arena = Arena.ofShared();
        s = arena.allocate(size);
        arenas.put(s, arena);
        return s;
    }

    void giveBack(MemorySegment s) {
        Arena drop;
        synchronized (this) {
            if (free.size() < spares) {
                free.addFirst(s);
                return;
            }
            drop = arenas.remove(s);
        }
        drop.close();
    }

    /** Buffers that exist now, lent or kept. */
    synchronized int allocated() {
        return arenas.size();
    }
}
