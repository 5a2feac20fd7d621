package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

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
    private static final int SOCK_STREAM = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final long TIOCSWINSZ = 0x5414;
    static final int EIO = 5;
    static final int ESRCH = 3;
    static final int EAGAIN = 11;
    static final int ECHILD = 10;
    static final int WNOHANG = 1;
    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_ONLYDIR = 0x01000000;
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int EFD_CLOEXEC = 0x80000;
    static final int EPOLLIN = 0x1;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    /** struct epoll_event is packed on x86-64: u32 events, then u64 data at offset 4. */
    static final long EPOLL_EVENT_SIZE = 12;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MOUNT = capturing("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = capturing("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKFIFO = capturing("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKET = capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = capturing("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = capturing("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = capturing("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = capturing("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = capturing("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT = capturing("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = capturing("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EPOLL_CREATE1 = capturing("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = capturing("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = capturing("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle INOTIFY_INIT1 = capturing("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle INOTIFY_ADD_WATCH = capturing("inotify_add_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle INOTIFY_RM_WATCH = capturing("inotify_rm_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIDFD_OPEN = capturing("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = capturing("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = capturing("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EVENTFD = capturing("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LinuxCalls() {}

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    /** A failed syscall; errno is kept so callers can tell "not mounted" from real failures. */
    static final class ErrnoException extends Exception {
        final int errno;
        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno));
            this.errno = errno;
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static void mount(String source, String target, String fsType, long flags, String data) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment dataSeg = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            int rc = (int) MOUNT.invokeExact(st, a.allocateFrom(source), a.allocateFrom(target), a.allocateFrom(fsType), flags,
                    dataSeg);
            if (rc != 0) throw new ErrnoException("mount " + target, errno(st));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("mount call failed", t);
        }
    }

    static void umount2(String target, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags);
            if (rc != 0) throw new ErrnoException("umount2 " + target, errno(st));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("umount2 call failed", t);
        }
    }

    static void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) MKFIFO.invokeExact(st, a.allocateFrom(path), mode);
            if (rc != 0) throw new ErrnoException("mkfifo " + path, errno(st));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("mkfifo call failed", t);
        }
    }

    /**
     * Connects a SOCK_SEQPACKET socket to {@code dir/name}. The directory is opened with O_PATH and reached
     * through /proc/self/fd so socket paths longer than sun_path's 108 bytes still work (as conmon binds them).
     */
    static int connectSeqpacket(String dir, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int dirFd = (int) OPEN.invokeExact(st, a.allocateFrom(dir), O_PATH | O_CLOEXEC, 0);
            if (dirFd < 0) throw new ErrnoException("open " + dir, errno(st));
            try {
                int fd = (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
                if (fd < 0) throw new ErrnoException("socket", errno(st));
                MemorySegment addr = a.allocate(110);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                byte[] path = ("/proc/self/fd/" + dirFd + "/" + name).getBytes();
                MemorySegment.copy(path, 0, addr, ValueLayout.JAVA_BYTE, 2, path.length);
                int rc = (int) CONNECT.invokeExact(st, fd, addr, 110);
                if (rc != 0) {
                    int err = errno(st);
                    close(fd);
                    throw new ErrnoException("connect " + dir + "/" + name, err);
                }
                return fd;
            } finally {
                close(dirFd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("socket call failed", t);
        }
    }

    /** One packet into {@code buf}; 0 at end of stream. Blocks, so callers use platform threads. */
    static int recv(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long n = (long) RECV.invokeExact(st, fd, buf, buf.byteSize(), 0);
                if (n >= 0) return (int) n;
                int err = errno(st);
                if (err != EINTR) throw new ErrnoException("recv", err);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("recv call failed", t);
        }
    }

    static void send(int fd, byte[] data, int off, int len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            long sent = 0;
            while (sent < len) {
                long n = (long) SEND.invokeExact(st, fd, buf.asSlice(sent), (long) len - sent, 0);
                if (n < 0) {
                    int err = errno(st);
                    if (err == EINTR) continue;
                    throw new ErrnoException("send", err);
                }
                sent += n;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("send call failed", t);
        }
    }

    static void shutdownWrite(int fd) {
        shutdown(fd, SHUT_WR);
    }

    /** Wakes a thread blocked in recv on this socket (close alone does not). */
    static void shutdownBoth(int fd) {
        shutdown(fd, SHUT_RDWR);
    }

    private static void shutdown(int fd, int how) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) SHUTDOWN.invokeExact(a.allocate(CAPTURE), fd, how);
        } catch (Throwable ignored) {
            // best effort: the peer also sees the close later
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket", errno(st));
            MemorySegment addr = unixAddress(a, path);
            if ((int) BIND.invokeExact(st, fd, addr, 110) != 0 || (int) LISTEN.invokeExact(st, fd, 1) != 0) {
                int err = errno(st);
                close(fd);
                throw new ErrnoException("bind/listen " + path, err);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("socket call failed", t);
        }
    }

    /** Accepts one connection and receives the file descriptor it sends with SCM_RIGHTS (the runtime's pty master). */
    static int acceptAndReceiveFd(int listenFd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int conn;
            do {
                conn = (int) ACCEPT.invokeExact(st, listenFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            } while (conn < 0 && errno(st) == EINTR);
            if (conn < 0) throw new ErrnoException("accept", errno(st));
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
                long n;
                do {
                    n = (long) RECVMSG.invokeExact(st, conn, msg, 0);
                } while (n < 0 && errno(st) == EINTR);
                if (n < 0) throw new ErrnoException("recvmsg", errno(st));
                long controlLen = msg.get(JAVA_LONG, 40);
                if (controlLen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                    throw new SystemFailureException("the runtime sent no terminal file descriptor");
                }
                return control.get(JAVA_INT, 16);
            } finally {
                close(conn);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (SystemFailureException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("socket call failed", t);
        }
    }

    /** read(2) into {@code buf}; 0 at end of file. Blocking: call from a platform thread. */
    static int read(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long n = (long) READ.invokeExact(st, fd, buf, buf.byteSize());
                if (n >= 0) return (int) n;
                int err = errno(st);
                if (err != EINTR) throw new ErrnoException("read", err);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("read call failed", t);
        }
    }

    static void write(int fd, byte[] data, int off, int len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = (long) WRITE.invokeExact(st, fd, buf.asSlice(done), (long) len - done);
                if (n < 0) {
                    int err = errno(st);
                    if (err == EINTR) continue;
                    throw new ErrnoException("write", err);
                }
                done += n;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("write call failed", t);
        }
    }

    /** Sets a terminal's window size (TIOCSWINSZ). */
    static void setWindowSize(int fd, int rows, int cols) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment ws = a.allocate(8, 2);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) cols);
            int rc = (int) IOCTL.invokeExact(st, fd, TIOCSWINSZ, ws);
            if (rc != 0) throw new ErrnoException("ioctl TIOCSWINSZ", errno(st));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("ioctl call failed", t);
        }
    }

    static int epollCreate() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) EPOLL_CREATE1.invokeExact(st, O_CLOEXEC);
            if (fd < 0) throw new ErrnoException("epoll_create1", errno(st));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("epoll_create1 call failed", t);
        }
    }

    /** Adds {@code fd} for readability; {@code token} comes back in the event's data. */
    static void epollAdd(int epfd, int fd, long token) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment ev = a.allocate(EPOLL_EVENT_SIZE);
            ev.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, token);
            int rc = (int) EPOLL_CTL.invokeExact(st, epfd, EPOLL_CTL_ADD, fd, ev);
            if (rc != 0) throw new ErrnoException("epoll_ctl add", errno(st));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("epoll_ctl call failed", t);
        }
    }

    static void epollDelete(int epfd, int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) EPOLL_CTL.invokeExact(a.allocate(CAPTURE), epfd, EPOLL_CTL_DEL, fd, a.allocate(EPOLL_EVENT_SIZE));
        } catch (Throwable ignored) {
            // closing the fd removes it from the epoll set anyway
        }
    }

    /** Waits for events into {@code events} (an array of packed epoll_event); returns how many. Blocks: platform threads only. */
    static int epollWait(int epfd, MemorySegment events, int timeoutMs) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int max = (int) (events.byteSize() / EPOLL_EVENT_SIZE);
            while (true) {
                int n = (int) EPOLL_WAIT.invokeExact(st, epfd, events, max, timeoutMs);
                if (n >= 0) return n;
                int err = errno(st);
                if (err != EINTR) throw new ErrnoException("epoll_wait", err);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("epoll_wait call failed", t);
        }
    }

    /** A non-blocking inotify instance. */
    static int inotifyInit() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) INOTIFY_INIT1.invokeExact(st, IN_NONBLOCK | IN_CLOEXEC);
            if (fd < 0) throw new ErrnoException("inotify_init1", errno(st));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("inotify_init1 call failed", t);
        }
    }

    static int inotifyAddWatch(int fd, String path, int mask) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int wd = (int) INOTIFY_ADD_WATCH.invokeExact(st, fd, a.allocateFrom(path), mask);
            if (wd < 0) throw new ErrnoException("inotify_add_watch " + path, errno(st));
            return wd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("inotify_add_watch call failed", t);
        }
    }

    static void inotifyRemoveWatch(int fd, int wd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) INOTIFY_RM_WATCH.invokeExact(a.allocate(CAPTURE), fd, wd);
        } catch (Throwable ignored) {
            // the watch is gone already (its directory was deleted)
        }
    }

    /** A pidfd that becomes readable when {@code pid} exits; ESRCH if it is gone already. Works for non-children. */
    static int pidfdOpen(int pid) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) PIDFD_OPEN.invokeExact(st, pid, 0);
            if (fd < 0) throw new ErrnoException("pidfd_open " + pid, errno(st));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("pidfd_open call failed", t);
        }
    }

    static int eventfd() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC);
            if (fd < 0) throw new ErrnoException("eventfd", errno(st));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("eventfd call failed", t);
        }
    }

    /** A pipe, both ends close-on-exec: {read, write}. */
    static int[] pipe() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int rc = (int) PIPE2.invokeExact(st, fds, O_CLOEXEC);
            if (rc != 0) throw new ErrnoException("pipe2", errno(st));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("pipe2 call failed", t);
        }
    }

    /**
     * waitpid(2) for one child: its raw wait status once it has ended (and is reaped), or -1 when {@code options}
     * has WNOHANG and it is still running.
     */
    static int waitpid(int pid, int options) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment status = a.allocate(JAVA_INT);
            while (true) {
                int rc = (int) WAITPID.invokeExact(st, pid, status, options);
                if (rc == pid) return status.get(JAVA_INT, 0);
                if (rc == 0) return -1;
                int err = errno(st);
                if (err != EINTR) throw new ErrnoException("waitpid " + pid, err);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("waitpid call failed", t);
        }
    }

    /** One non-blocking read; -1 when nothing is there (EAGAIN). */
    static int readNonBlocking(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long n = (long) READ.invokeExact(st, fd, buf, buf.byteSize());
                if (n >= 0) return (int) n;
                int err = errno(st);
                if (err == EAGAIN) return -1;
                if (err != EINTR) throw new ErrnoException("read", err);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new SystemFailureException("read call failed", t);
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(a.allocate(CAPTURE), fd);
        } catch (Throwable ignored) {
            // close failing leaves nothing to recover
        }
    }
}
