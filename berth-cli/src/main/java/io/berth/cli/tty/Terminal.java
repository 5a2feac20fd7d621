package io.berth.cli.tty;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local terminal: whether a descriptor is a TTY (from /proc), and through libc (FFM) its window
 * size and raw mode for {@code run -t}/{@code exec -t}. Handles are bound on first use so commands
 * that never touch the terminal pay nothing.
 */
public final class Terminal {

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    private static final long TIOCGWINSZ = 0x5413;
    private static final int TCSANOW = 0;
    // glibc's struct termios is 60 bytes on x86_64 and aarch64; the spare room costs nothing.
    private static final long TERMIOS_SIZE = 128;
    // c_lflag follows c_iflag, c_oflag and c_cflag (32-bit each) in glibc's struct termios.
    private static final long C_LFLAG_OFFSET = 12;
    private static final int ECHO = 0x8;

    private Terminal() {}

    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final MethodHandle IOCTL = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle TCGETATTR = bind("tcgetattr", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle TCSETATTR = bind("tcsetattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle CFMAKERAW = bind("cfmakeraw", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

        static MethodHandle bind(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor);
        }
    }

    /**
     * Whether fd is a terminal. Asked for every pull, push and build (progress bars or plain lines), so it does
     * without FFM: binding a native call costs a cold CLI 30-40 ms, more than the rest of a small pull. /proc
     * names the device the fd is open on; terminals are the pseudo-terminals (/dev/pts/N), the virtual and
     * serial ttys (/dev/tty*) and the console. isatty(3) would ask the driver instead; the two differ only for
     * tty devices named outside those paths.
     */
    public static boolean isTerminal(int fd) {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** {@code [rows, columns]}, or null when fd is not a terminal. */
    public static int[] size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8);
            int rc = (int) Libc.IOCTL.invokeExact(fd, TIOCGWINSZ, winsize);
            if (rc != 0) {
                return null;
            }
            int rows = Short.toUnsignedInt(winsize.get(ValueLayout.JAVA_SHORT, 0));
            int cols = Short.toUnsignedInt(winsize.get(ValueLayout.JAVA_SHORT, 2));
            return rows == 0 || cols == 0 ? null : new int[] {rows, cols};
        } catch (Throwable e) {
            return null;
        }
    }

    /** Puts fd into raw mode; the returned handle restores the previous settings. */
    public static RawMode makeRaw(int fd) {
        try {
            Arena arena = Arena.ofShared();
            MemorySegment saved = arena.allocate(TERMIOS_SIZE);
            if ((int) Libc.TCGETATTR.invokeExact(fd, saved) != 0) {
                arena.close();
                return RawMode.NONE;
            }
            MemorySegment raw = arena.allocate(TERMIOS_SIZE);
            raw.copyFrom(saved);
            Libc.CFMAKERAW.invokeExact(raw);
            int rc = (int) Libc.TCSETATTR.invokeExact(fd, TCSANOW, raw);
            if (rc != 0) {
                arena.close();
                return RawMode.NONE;
            }
            return new RawMode(fd, saved, arena);
        } catch (Throwable e) {
            return RawMode.NONE;
        }
    }

    /** Turns off echo on fd (for a password prompt); the returned handle restores the previous settings. */
    public static RawMode disableEcho(int fd) {
        try {
            Arena arena = Arena.ofShared();
            MemorySegment saved = arena.allocate(TERMIOS_SIZE);
            if ((int) Libc.TCGETATTR.invokeExact(fd, saved) != 0) {
                arena.close();
                return RawMode.NONE;
            }
            MemorySegment quiet = arena.allocate(TERMIOS_SIZE);
            quiet.copyFrom(saved);
            quiet.set(ValueLayout.JAVA_INT, C_LFLAG_OFFSET, quiet.get(ValueLayout.JAVA_INT, C_LFLAG_OFFSET) & ~ECHO);
            if ((int) Libc.TCSETATTR.invokeExact(fd, TCSANOW, quiet) != 0) {
                arena.close();
                return RawMode.NONE;
            }
            return new RawMode(fd, saved, arena);
        } catch (Throwable e) {
            return RawMode.NONE;
        }
    }

    /** Saved terminal settings; {@link #restore()} is idempotent. */
    public static final class RawMode {
        static final RawMode NONE = new RawMode(-1, null, null);
        private final int fd;
        private final MemorySegment saved;
        private final Arena arena;
        private boolean restored;

        RawMode(int fd, MemorySegment saved, Arena arena) {
            this.fd = fd;
            this.saved = saved;
            this.arena = arena;
        }

        public synchronized void restore() {
            if (restored || saved == null) {
                return;
            }
            restored = true;
            try {
                int ignored = (int) Libc.TCSETATTR.invokeExact(fd, TCSANOW, saved);
            } catch (Throwable e) {
                // nothing more can be done for the terminal
            }
            arena.close();
        }
    }
}
