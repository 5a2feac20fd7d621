package io.berth.runtime;

import io.berth.linux.EpollEvent;
import io.berth.linux.ErrnoException;
import io.berth.linux.Libc;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.berth.linux.Libc.capturingErrno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The handful of Linux syscalls berthd makes in its own process through FFM: mount/umount2 for the
 * container's overlay, mkfifo, pipe2 and waitpid for the children {@link PosixSpawn} starts, an AF_UNIX
 * SOCK_SEQPACKET client for conmon's attach socket (the JDK has no seqpacket channels), and epoll +
 * inotify + pidfd + eventfd for the exit watcher. Every call captures errno so failures carry the
 * kernel's reason.
 */
final class LinuxCalls {
    static final int MNT_DETACH = 2;
    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EINVAL = 22;
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 0x800;
    private static final int SOCK_STREAM = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final long TIOCSWINSZ = 0x5414;
    static final int EIO = 5;
    static final int ESRCH = 3;
    static final int EAGAIN = 11;
    static final int ECHILD = 10;
    static final int WNOHANG = 1;
    static final int IN_MODIFY = 0x2;
    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_CREATE = 0x100;
    static final int IN_ONESHOT = 0x80000000;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_ONLYDIR = 0x01000000;
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int EFD_CLOEXEC = 0x80000;
    static final int EPOLLIN = 0x1;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    /** struct epoll_event as this architecture lays it out (packed on x86-64 only). */
    static final EpollEvent EPOLL_EVENT = EpollEvent.current();
    private static final int SHUT_WR = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_RDWR = 2;

    /**
     * A call that could not be made at all (never an errno) stays the engine's failure, as before: callers such
     * as ContainerStarter catch SystemFailureException by type. One thrown on purpose inside a call goes through.
     */
    static final Syscalls SYS = new Syscalls((operation, t) ->
            t instanceof SystemFailureException s ? s : new SystemFailureException(operation + " call failed", t));

    private static final MethodHandle MOUNT = capturingErrno("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = capturingErrno("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKFIFO = capturingErrno("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKET = capturingErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = capturingErrno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = capturingErrno("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = capturingErrno("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = capturingErrno("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = capturingErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = capturingErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT = capturingErrno("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = capturingErrno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = capturingErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = capturingErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = capturingErrno("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = capturingErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = capturingErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EPOLL_CREATE1 = capturingErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = capturingErrno("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = capturingErrno("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle INOTIFY_INIT1 = capturingErrno("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle INOTIFY_ADD_WATCH = capturingErrno("inotify_add_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle INOTIFY_RM_WATCH = capturingErrno("inotify_rm_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIDFD_OPEN = capturingErrno("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = capturingErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = capturingErrno("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EVENTFD = capturingErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private LinuxCalls() {}

    static void mount(String source, String target, String fsType, long flags, String data) throws ErrnoException {
        SYS.call("mount " + target, (a, st) -> {
            MemorySegment dataSeg = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            return (int) MOUNT.invokeExact(st, a.allocateFrom(source), a.allocateFrom(target), a.allocateFrom(fsType), flags,
                    dataSeg);
        });
    }

    static void umount2(String target, int flags) throws ErrnoException {
        SYS.call("umount2 " + target, (a, st) -> (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags));
    }

    /** Opens a FIFO's write end without waiting for a reader: ENXIO when no process holds its read end. */
    static int openFifoForWritingNow(String path) throws ErrnoException {
        return SYS.call("open " + path, (a, st) -> (int) OPEN.invokeExact(st, a.allocateFrom(path), O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0));
    }

    static void mkfifo(String path, int mode) throws ErrnoException {
        SYS.call("mkfifo " + path, (a, st) -> (int) MKFIFO.invokeExact(st, a.allocateFrom(path), mode));
    }

    /**
     * Connects a SOCK_SEQPACKET socket to {@code dir/name}. The directory is opened with O_PATH and reached
     * through /proc/self/fd so socket paths longer than sun_path's 108 bytes still work (as conmon binds them).
     */
    static int connectSeqpacket(String dir, String name) throws ErrnoException {
        return SYS.inArena("socket", (a, st) -> {
            int dirFd = Syscalls.check("open " + dir, (int) OPEN.invokeExact(st, a.allocateFrom(dir), O_PATH | O_CLOEXEC, 0), st);
            try {
                int fd = Syscalls.check("socket", (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), st);
                int rc = (int) CONNECT.invokeExact(st, fd, unixAddress(a, "/proc/self/fd/" + dirFd + "/" + name), 110);
                if (rc != 0) {
                    int err = Libc.errno(st);
                    close(fd);
                    throw new ErrnoException("connect " + dir + "/" + name, err);
                }
                return fd;
            } finally {
                close(dirFd);
            }
        });
    }

    /** A call that may block and so be interrupted by a signal: its result, or -1 with errno set. */
    @FunctionalInterface
    private interface Blocking {
        long run() throws Throwable;
    }

    /** Repeats {@code call} while a signal interrupts it (EINTR); its result, or -1 with errno in {@code st}. */
    private static long retryingEintr(MemorySegment st, Blocking call) throws Throwable {
        long n;
        do {
            n = call.run();
        } while (n < 0 && Libc.errno(st) == EINTR);
        return n;
    }

    /** One packet into {@code buf}; 0 at end of stream. Blocks, so callers use platform threads. */
    static int recv(int fd, MemorySegment buf) throws ErrnoException {
        return SYS.inArena("recv", (a, st) -> Syscalls.check("recv",
                (int) retryingEintr(st, () -> (long) RECV.invokeExact(st, fd, buf, buf.byteSize(), 0)), st));
    }

    /**
     * Sends all of {@code data}; on a SOCK_SEQPACKET socket one call is one message. A peer that has gone away is
     * EPIPE, not SIGPIPE.
     */
    static void send(int fd, byte[] data, int off, int len) throws ErrnoException {
        writeFully("send", data, off, len, (st, from, n) -> (long) SEND.invokeExact(st, fd, from, n, MSG_NOSIGNAL));
    }

    /** A write-like call of {@code n} bytes from {@code from}: how many it took, or -1 with errno set. */
    @FunctionalInterface
    private interface Put {
        long run(MemorySegment errno, MemorySegment from, long n) throws Throwable;
    }

    /** Copies {@code data} into native memory and repeats {@code put} until all of it is taken. */
    private static void writeFully(String operation, byte[] data, int off, int len, Put put) throws ErrnoException {
        SYS.inArena(operation, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long from = done;
                done += Syscalls.check(operation, (int) retryingEintr(st, () -> put.run(st, buf.asSlice(from), (long) len - from)), st);
            }
            return null;
        });
    }

    static void shutdownWrite(int fd) {
        shutdown(fd, SHUT_WR);
    }

    /** Wakes a thread blocked in recv on this socket (close alone does not). */
    static void shutdownBoth(int fd) {
        shutdown(fd, SHUT_RDWR);
    }

    private static void shutdown(int fd, int how) {
        // best effort: the peer also sees the close later
        quietly((a, st) -> (int) SHUTDOWN.invokeExact(st, fd, how));
    }

    /** For calls whose failure leaves nothing to do: close, shutdown, removing a watch. */
    private static void quietly(Syscalls.Body<Integer> call) {
        try {
            SYS.inArena("cleanup", call);
        } catch (ErrnoException | RuntimeException ignored) {
            // see the callers
        }
    }

    private static MemorySegment unixAddress(Arena a, String path) {
        byte[] p = path.getBytes();
        if (p.length > 107) throw new SystemFailureException("socket path too long: " + path);
        MemorySegment addr = a.allocate(110);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
        return addr;
    }

    /** A listening AF_UNIX stream socket at {@code path} (at most 107 bytes). */
    static int listenUnix(String path) throws ErrnoException {
        return SYS.inArena("socket", (a, st) -> {
            int fd = Syscalls.check("socket", (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), st);
            MemorySegment addr = unixAddress(a, path);
            if ((int) BIND.invokeExact(st, fd, addr, 110) != 0 || (int) LISTEN.invokeExact(st, fd, 1) != 0) {
                int err = Libc.errno(st);
                close(fd);
                throw new ErrnoException("bind/listen " + path, err);
            }
            return fd;
        });
    }

    /** Accepts one connection and receives the file descriptor it sends with SCM_RIGHTS (the runtime's pty master). */
    static int acceptAndReceiveFd(int listenFd) throws ErrnoException {
        return SYS.inArena("socket", (a, st) -> {
            int conn = Syscalls.check("accept", (int) retryingEintr(st,
                    () -> (int) ACCEPT.invokeExact(st, listenFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC)), st);
            try {
                MemorySegment data = a.allocate(4096);
                MemorySegment iov = a.allocate(16, 8);
                iov.set(ADDRESS, 0, data);
                iov.set(JAVA_LONG, 8, data.byteSize());
                MemorySegment control = a.allocate(64, 8);
                MemorySegment msg = a.allocate(56, 8);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1L);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, control.byteSize());
                Syscalls.check("recvmsg", (int) retryingEintr(st, () -> (long) RECVMSG.invokeExact(st, conn, msg, 0)), st);
                long controlLen = msg.get(JAVA_LONG, 40);
                if (controlLen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                    throw new SystemFailureException("the runtime sent no terminal file descriptor");
                }
                return control.get(JAVA_INT, 16);
            } finally {
                close(conn);
            }
        });
    }

    /** read(2) into {@code buf}; 0 at end of file. Blocking: call from a platform thread. */
    static int read(int fd, MemorySegment buf) throws ErrnoException {
        return SYS.inArena("read", (a, st) -> Syscalls.check("read",
                (int) retryingEintr(st, () -> (long) READ.invokeExact(st, fd, buf, buf.byteSize())), st));
    }

    static void write(int fd, byte[] data, int off, int len) throws ErrnoException {
        writeFully("write", data, off, len, (st, from, n) -> (long) WRITE.invokeExact(st, fd, from, n));
    }

    /** Sets a terminal's window size (TIOCSWINSZ). */
    static void setWindowSize(int fd, int rows, int cols) throws ErrnoException {
        SYS.call("ioctl TIOCSWINSZ", (a, st) -> {
            MemorySegment ws = a.allocate(8, 2);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) cols);
            return (int) IOCTL.invokeExact(st, fd, TIOCSWINSZ, ws);
        });
    }

    static int epollCreate() throws ErrnoException {
        return SYS.call("epoll_create1", (a, st) -> (int) EPOLL_CREATE1.invokeExact(st, O_CLOEXEC));
    }

    /** Adds {@code fd} for readability; {@code token} comes back in the event's data. */
    static void epollAdd(int epfd, int fd, long token) throws ErrnoException {
        SYS.call("epoll_ctl add", (a, st) -> {
            MemorySegment ev = a.allocate(EPOLL_EVENT.layout());
            EPOLL_EVENT.set(ev, 0, EPOLLIN, token);
            return (int) EPOLL_CTL.invokeExact(st, epfd, EPOLL_CTL_ADD, fd, ev);
        });
    }

    static void epollDelete(int epfd, int fd) {
        // closing the fd removes it from the epoll set anyway
        quietly((a, st) -> (int) EPOLL_CTL.invokeExact(st, epfd, EPOLL_CTL_DEL, fd, a.allocate(EPOLL_EVENT.layout())));
    }

    /** Waits for events into {@code events} (an array of {@link #EPOLL_EVENT}); returns how many. Blocks: platform threads only. */
    static int epollWait(int epfd, MemorySegment events, int timeoutMs) throws ErrnoException {
        int max = (int) (events.byteSize() / EPOLL_EVENT.size());
        return SYS.inArena("epoll_wait", (a, st) -> Syscalls.check("epoll_wait",
                (int) retryingEintr(st, () -> (int) EPOLL_WAIT.invokeExact(st, epfd, events, max, timeoutMs)), st));
    }

    /** A non-blocking inotify instance. */
    static int inotifyInit() throws ErrnoException {
        return SYS.call("inotify_init1", (a, st) -> (int) INOTIFY_INIT1.invokeExact(st, IN_NONBLOCK | IN_CLOEXEC));
    }

    static int inotifyAddWatch(int fd, String path, int mask) throws ErrnoException {
        return SYS.call("inotify_add_watch " + path, (a, st) -> (int) INOTIFY_ADD_WATCH.invokeExact(st, fd, a.allocateFrom(path), mask));
    }

    static void inotifyRemoveWatch(int fd, int wd) {
        // the watch is gone already (its directory was deleted)
        quietly((a, st) -> (int) INOTIFY_RM_WATCH.invokeExact(st, fd, wd));
    }

    /** A pidfd that becomes readable when {@code pid} exits; ESRCH if it is gone already. Works for non-children. */
    static int pidfdOpen(int pid) throws ErrnoException {
        return SYS.call("pidfd_open " + pid, (a, st) -> (int) PIDFD_OPEN.invokeExact(st, pid, 0));
    }

    static int eventfd() throws ErrnoException {
        return SYS.call("eventfd", (a, st) -> (int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC));
    }

    /** A pipe, both ends close-on-exec: {read, write}. */
    static int[] pipe() throws ErrnoException {
        return SYS.inArena("pipe2", (a, st) -> {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            Syscalls.check("pipe2", (int) PIPE2.invokeExact(st, fds, O_CLOEXEC), st);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        });
    }

    /**
     * waitpid(2) for one child: its raw wait status once it has ended (and is reaped), or -1 when {@code options}
     * has WNOHANG and it is still running.
     */
    static int waitpid(int pid, int options) throws ErrnoException {
        return SYS.inArena("waitpid", (a, st) -> {
            MemorySegment status = a.allocate(JAVA_INT);
            int rc = Syscalls.check("waitpid " + pid,
                    (int) retryingEintr(st, () -> (int) WAITPID.invokeExact(st, pid, status, options)), st);
            return rc == 0 ? -1 : status.get(JAVA_INT, 0);
        });
    }

    /** One non-blocking read; -1 when nothing is there (EAGAIN). */
    static int readNonBlocking(int fd, MemorySegment buf) throws ErrnoException {
        return SYS.inArena("read", (a, st) -> {
            long n = retryingEintr(st, () -> (long) READ.invokeExact(st, fd, buf, buf.byteSize()));
            if (n < 0 && Libc.errno(st) == EAGAIN) return -1;
            return Syscalls.check("read", (int) n, st);
        });
    }

    static void close(int fd) {
        // close failing leaves nothing to recover
        quietly((a, st) -> (int) CLOSE.invokeExact(st, fd));
    }
}
