package io.berth.runtime;

import io.berth.linux.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Wakes a json-file log copier that has caught up when its container's run directory next changes (conmon appends to
 * the spool, or opens a new one after a reopen), so that an idle copier sleeps instead of looking at its spool every
 * 20 ms: with 50 running containers that did nothing, those looks cost berthd about a tenth of a core.
 * <p>
 * One inotify instance and one platform thread for the process. A watch is one-shot ({@code IN_ONESHOT}): a copier
 * arms it once it has caught up, and the first change after that spends it, so a container that writes fast costs
 * no events while its copier is busy copying. A copier that cannot get a watch (no inotify, the user's watch limit
 * reached) is told so and looks as before.
 */
final class SpoolWatcher {
    private static final Logger LOG = Logger.getLogger(SpoolWatcher.class.getName());
    private static final int CHANGES = LinuxCalls.IN_MODIFY | LinuxCalls.IN_CREATE | LinuxCalls.IN_MOVED_TO
            | LinuxCalls.IN_ONLYDIR | LinuxCalls.IN_ONESHOT;

    private static final class Shared {
        static final SpoolWatcher INSTANCE = open();
    }

    /** -1 when inotify could not be had: every {@link #wakeOnChange} says no. */
    private final int inotifyFd;
    /** Guarded by this: who an armed watch wakes. */
    private final Map<Integer, Thread> waiting = new HashMap<>();
    /** Guarded by this: the thread has stopped, and nobody is woken any more. */
    private boolean stopped;

    private SpoolWatcher(int inotifyFd) {
        this.inotifyFd = inotifyFd;
    }

    static SpoolWatcher shared() {
        return Shared.INSTANCE;
    }

    /** A watcher of its own, with its own thread (tests; berthd has {@link #shared}). */
    static SpoolWatcher open() {
        int epollFd = -1;
        int fd = -1;
        try {
            epollFd = LinuxCalls.epollCreate();
            fd = LinuxCalls.inotifyInit();
            LinuxCalls.epollAdd(epollFd, fd, 0);
        } catch (ErrnoException e) {
            LOG.warning("log copiers look at their spools every 20 ms: no inotify instance (" + e.getMessage() + ")");
            if (fd >= 0) LinuxCalls.close(fd);
            if (epollFd >= 0) LinuxCalls.close(epollFd);
            return new SpoolWatcher(-1);
        }
        SpoolWatcher w = new SpoolWatcher(fd);
        int epoll = epollFd;
        Thread.ofPlatform().daemon().name("berth-spool-watcher").start(() -> w.loop(epoll));
        return w;
    }

    /**
     * Unparks {@code waiter} at the next change in {@code dir} (once; arm again after it). Returns the watch, or -1 when
     * none could be placed and the caller must look by itself. A change made before the call is not reported: a
     * caller looks once more after arming.
     */
    int arm(Path dir, Thread waiter) {
        if (inotifyFd < 0) return -1;
        // the watcher thread takes this lock for each event: an event of the new watch is never read before its waiter
        // is known
        synchronized (this) {
            if (stopped) return -1;
            try {
                int wd = LinuxCalls.inotifyAddWatch(inotifyFd, dir.toString(), CHANGES);
                waiting.put(wd, waiter);
                return wd;
            } catch (ErrnoException e) {
                return -1;
            }
        }
    }

    /** Removes a watch {@code waiter} armed and no change has spent (a stopping copier); one re-armed by another stays. */
    synchronized void disarm(int wd, Thread waiter) {
        if (wd >= 0 && !stopped && waiting.remove(wd, waiter)) LinuxCalls.inotifyRemoveWatch(inotifyFd, wd);
    }

    /** How many watches wait for a change. */
    synchronized int armed() {
        return waiting.size();
    }

    private void loop(int epollFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(LinuxCalls.EPOLL_EVENT.layout(), 1);
            MemorySegment buf = arena.allocate(64 * 1024, 8);
            while (true) {
                LinuxCalls.epollWait(epollFd, events, -1);
                InotifyEvents.drain(inotifyFd, buf, (wd, mask, name) -> {
                    synchronized (this) {
                        if ((mask & InotifyEvents.IN_Q_OVERFLOW) != 0) {
                            waiting.values().forEach(LockSupport::unpark); // events were lost: everyone looks
                            waiting.clear();
                            return;
                        }
                        // the change itself, or IN_IGNORED as the spent watch (or the removed directory) goes:
                        // either way the waiter looks once more and arms again if it has to
                        Thread t = waiting.remove(wd);
                        if (t != null) LockSupport.unpark(t);
                    }
                });
            }
        } catch (ErrnoException | RuntimeException e) {
            LOG.warning("the log spool watcher stopped (" + e.getMessage() + "): log copiers look every 20 ms");
            synchronized (this) {
                stopped = true;
                waiting.values().forEach(LockSupport::unpark);
                waiting.clear();
            }
        }
    }
}
