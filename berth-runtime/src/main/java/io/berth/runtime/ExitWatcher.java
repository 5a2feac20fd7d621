package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the service, without polling, that a container's run has ended. One platform thread sleeps in
 * epoll_wait on two kinds of source:
 * <ul>
 *   <li>one inotify instance watching each running container's exit dir, where conmon drops exits/&lt;id&gt;
 *       as soon as the container ends (the earliest sign, before conmon itself exits);</li>
 *   <li>a pidfd per conmon, readable when conmon dies, which also covers a conmon killed before it could
 *       write the exit file.</li>
 * </ul>
 * Whichever comes first fires the watch's callback, once, on a new virtual thread: settling an exit runs the
 * OCI runtime and must not hold up the watcher. A watch armed after the exit already happened (a daemon
 * restart) fires at once, because the exit file is checked after the inotify watch is in place and
 * pidfd_open fails with ESRCH for a conmon that is gone.
 */
final class ExitWatcher implements AutoCloseable {
    private static final long INOTIFY_TOKEN = 0;
    private static final long WAKE_TOKEN = 1;

    private final int epollFd;
    private final int inotifyFd;
    private final int wakeFd;
    /** Guarded by this: the kernel objects and the maps change together. */
    private final Map<Integer, Watch> byWatchDescriptor = new HashMap<>();
    private final Map<Long, Watch> byToken = new HashMap<>();
    private long nextToken = 2;
    private boolean closed;

    /** One armed watch; {@link #cancel()} disarms it without running the callback. */
    final class Watch {
        private final Path exitFile;
        private final Runnable onExit;
        private final AtomicBoolean done = new AtomicBoolean();
        private int watchDescriptor = -1;
        private int pidfd = -1;
        private long token = -1;

        private Watch(Path exitFile, Runnable onExit) {
            this.exitFile = exitFile;
            this.onExit = onExit;
        }

        void cancel() {
            if (done.compareAndSet(false, true)) disarm(this);
        }

        private void fire() {
            if (!done.compareAndSet(false, true)) return;
            disarm(this);
            String id = exitFile.getFileName().toString();
            Thread.ofVirtual().name("exit-" + id.substring(0, Math.min(12, id.length()))).start(onExit);
        }
    }

    ExitWatcher() {
        try {
            epollFd = LinuxCalls.epollCreate();
            inotifyFd = LinuxCalls.inotifyInit();
            wakeFd = LinuxCalls.eventfd();
            LinuxCalls.epollAdd(epollFd, inotifyFd, INOTIFY_TOKEN);
            LinuxCalls.epollAdd(epollFd, wakeFd, WAKE_TOKEN);
        } catch (ErrnoException e) {
            throw new SystemFailureException("setting up the container exit watcher: " + e.getMessage(), e);
        }
        Thread.ofPlatform().daemon().name("berth-exit-watcher").start(this::loop);
    }

    /**
     * Arms a watch for the exit of the run whose conmon is {@code conmonPid} (0 if unknown) and whose exit file
     * conmon will write as {@code exitFile}.
     */
    Watch watch(Path exitFile, int conmonPid, Runnable onExit) {
        Watch w = new Watch(exitFile, onExit);
        boolean armed = false;
        synchronized (this) {
            if (closed) return w;
            try {
                int wd = LinuxCalls.inotifyAddWatch(inotifyFd, exitFile.getParent().toString(),
                        LinuxCalls.IN_CLOSE_WRITE | LinuxCalls.IN_MOVED_TO | LinuxCalls.IN_ONLYDIR);
                Watch previous = byWatchDescriptor.put(wd, w);
                // the same directory watched twice yields the same descriptor: the newer run replaces the older
                if (previous != null && previous.done.compareAndSet(false, true)) {
                    previous.watchDescriptor = -1;
                    disarm(previous);
                }
                w.watchDescriptor = wd;
                armed = true;
            } catch (ErrnoException e) {
                // no exit dir to watch: the pidfd below is the only sign left
            }
            if (conmonPid > 0) {
                try {
                    int fd = LinuxCalls.pidfdOpen(conmonPid);
                    long token = nextToken++;
                    try {
                        LinuxCalls.epollAdd(epollFd, fd, token);
                    } catch (ErrnoException e) {
                        LinuxCalls.close(fd);
                        throw e;
                    }
                    w.pidfd = fd;
                    w.token = token;
                    byToken.put(token, w);
                    armed = true;
                } catch (ErrnoException e) {
                    // ESRCH: conmon is gone, so the exit already happened; fired below
                    if (e.errno() == LinuxCalls.ESRCH) armed = false;
                }
            }
        }
        if (!armed || Files.exists(exitFile)) w.fire();
        return w;
    }

    private synchronized void disarm(Watch w) {
        if (w.watchDescriptor >= 0) {
            byWatchDescriptor.remove(w.watchDescriptor, w);
            if (!closed) LinuxCalls.inotifyRemoveWatch(inotifyFd, w.watchDescriptor);
            w.watchDescriptor = -1;
        }
        if (w.pidfd >= 0) {
            byToken.remove(w.token);
            if (!closed) LinuxCalls.epollDelete(epollFd, w.pidfd);
            LinuxCalls.close(w.pidfd);
            w.pidfd = -1;
        }
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(LinuxCalls.EPOLL_EVENT.layout(), 64);
            MemorySegment buf = arena.allocate(64 * 1024, 8);
            while (true) {
                int n = LinuxCalls.epollWait(epollFd, events, -1);
                synchronized (this) {
                    if (closed) break;
                }
                for (int i = 0; i < n; i++) {
                    long token = LinuxCalls.EPOLL_EVENT.data(events, i);
                    if (token == INOTIFY_TOKEN) {
                        drainInotify(buf);
                    } else if (token != WAKE_TOKEN) {
                        Watch w;
                        synchronized (this) {
                            w = byToken.get(token);
                        }
                        if (w != null) w.fire();
                    }
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            System.err.println("berth-runtime: exit watcher stopped: " + e.getMessage());
        } finally {
            closeFds();
        }
    }

    private void drainInotify(MemorySegment buf) throws ErrnoException {
        List<Watch> toFire = new ArrayList<>();
        InotifyEvents.drain(inotifyFd, buf, (wd, mask, name) -> {
            synchronized (this) {
                if ((mask & InotifyEvents.IN_Q_OVERFLOW) != 0) {
                    // events were lost: look at every watched exit file instead
                    for (Watch w : byWatchDescriptor.values()) if (Files.exists(w.exitFile)) toFire.add(w);
                    return;
                }
                Watch w = byWatchDescriptor.get(wd);
                if (w == null) return;
                if ((mask & InotifyEvents.IN_IGNORED) != 0) {
                    // the directory went away (container removed); the pidfd, if any, still watches conmon
                    byWatchDescriptor.remove(wd);
                    w.watchDescriptor = -1;
                } else if (name.equals(w.exitFile.getFileName().toString())) {
                    toFire.add(w);
                }
            }
        });
        for (Watch w : toFire) w.fire();
    }

    private synchronized void closeFds() {
        closed = true;
        for (Watch w : byToken.values()) {
            LinuxCalls.close(w.pidfd);
            w.pidfd = -1;
        }
        byToken.clear();
        byWatchDescriptor.clear();
        LinuxCalls.close(inotifyFd);
        LinuxCalls.close(epollFd);
        LinuxCalls.close(wakeFd);
    }

    /** Disarms every watch; conmon keeps running and a later watcher can pick the containers up. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            LinuxCalls.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 0, 8);
        } catch (ErrnoException e) {
            // the loop has ended already
        }
    }
}
