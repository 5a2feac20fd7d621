package io.berth.runtime;

import io.berth.linux.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Wakes a thread that has read a container's log to its end when the log's directory next changes, so that it sleeps
 * instead of looking again and again: a json-file copier waiting for conmon to append to its spool (or open a new one
 * after a reopen), a `docker logs -f` waiting for the next line. With 50 running containers that did nothing, the
 * copiers' looks every 20 ms cost berthd about a tenth of a core; a follower's look every 100 ms delayed each line by
 * up to that.
 * <p>
 * One inotify instance and one platform thread for the process. A watch is one-shot ({@code IN_ONESHOT}): a reader
 * arms it once it has caught up and the first change after that spends it, waking every thread that armed it, so a
 * container that writes fast costs no events while its readers are busy reading. A reader that cannot get a watch (no
 * inotify, the user's watch limit reached) is told so and looks as before.
 */
final class LogDirectoryWatcher {
    private static final Logger LOG = Logger.getLogger(LogDirectoryWatcher.class.getName());
    private static final int CHANGES = LinuxCalls.IN_MODIFY | LinuxCalls.IN_CREATE | LinuxCalls.IN_MOVED_TO
            | LinuxCalls.IN_ONLYDIR | LinuxCalls.IN_ONESHOT;

    private static final class Shared {
        static final LogDirectoryWatcher INSTANCE = open();
    }

    /** -1 when inotify could not be had: every {@link #arm} says no. */
    private final int inotifyFd;
    /** Guarded by this: who an armed watch wakes (one directory is one watch, whoever armed it). */
    private final Map<Integer, Set<Thread>> waiting = new HashMap<>();
    /** Guarded by this: the thread has stopped, and nobody is woken any more. */
    private boolean stopped;

    private LogDirectoryWatcher(int inotifyFd) {
        this.inotifyFd = inotifyFd;
    }

    static LogDirectoryWatcher shared() {
        return Shared.INSTANCE;
    }

    /** A watcher of its own, with its own thread (tests; berthd has {@link #shared}). */
    static LogDirectoryWatcher open() {
        int epollFd = -1;
        int fd = -1;
        try {
            epollFd = LinuxCalls.epollCreate();
            fd = LinuxCalls.inotifyInit();
            LinuxCalls.epollAdd(epollFd, fd, 0);
        } catch (ErrnoException e) {
            LOG.warning("log readers look for new lines at intervals: no inotify instance (" + e.getMessage() + ")");
            if (fd >= 0) LinuxCalls.close(fd);
            if (epollFd >= 0) LinuxCalls.close(epollFd);
            return new LogDirectoryWatcher(-1);
        }
        LogDirectoryWatcher w = new LogDirectoryWatcher(fd);
        int epoll = epollFd;
        Thread.ofPlatform().daemon().name("berth-log-watcher").start(() -> w.loop(epoll));
        return w;
    }

    /**
     * Unparks {@code waiter} at the next change in {@code dir} (once; arm again after it). Returns the watch, or -1 when
     * none could be placed and the caller must look by itself. A change made before the call is not reported: a
     * caller reads once more after arming.
     */
    int arm(Path dir, Thread waiter) {
        if (inotifyFd < 0) return -1;
        // the watcher thread takes this lock for each event: an event of the new watch is never read before its waiter
        // is known
        synchronized (this) {
            if (stopped) return -1;
            try {
                int wd = LinuxCalls.inotifyAddWatch(inotifyFd, dir.toString(), CHANGES);
                waiting.computeIfAbsent(wd, k -> new HashSet<>()).add(waiter);
                return wd;
            } catch (ErrnoException e) {
                return -1;
            }
        }
    }

    /**
     * {@code waiter} no longer waits on watch {@code wd} (it stops); the watch goes when nobody else waits on it, and
     * one that a change has spent is left alone.
     */
    synchronized void disarm(int wd, Thread waiter) {
        if (wd < 0 || stopped) return;
        Set<Thread> threads = waiting.get(wd);
        if (threads == null || !threads.remove(waiter) || !threads.isEmpty()) return;
        waiting.remove(wd);
        LinuxCalls.inotifyRemoveWatch(inotifyFd, wd);
    }

    /** How many threads wait for a change. */
    synchronized int armed() {
        return waiting.values().stream().mapToInt(Set::size).sum();
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
                            wakeAll(); // events were lost: everyone looks
                            return;
                        }
                        // the change itself, or IN_IGNORED as the spent watch (or the removed directory) goes:
                        // either way the waiters look once more and arm again if they have to
                        Set<Thread> threads = waiting.remove(wd);
                        if (threads != null) threads.forEach(LockSupport::unpark);
                    }
                });
            }
        } catch (ErrnoException | RuntimeException e) {
            LOG.warning("the log directory watcher stopped (" + e.getMessage() + "): log readers look at intervals");
            synchronized (this) {
                stopped = true;
                wakeAll();
            }
        }
    }

    private void wakeAll() {
        waiting.values().forEach(threads -> threads.forEach(LockSupport::unpark));
        waiting.clear();
    }
}
