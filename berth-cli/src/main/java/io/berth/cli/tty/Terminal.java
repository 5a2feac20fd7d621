package io.berth.cli.tty;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The local terminal through libc (FFM): whether a descriptor is a TTY, its window size, and raw
 * mode for {@code run -t}/{@code exec -t}. Handles are bound on first use so commands that never
 * touch the terminal pay nothing.
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
        static final MethodHandle ISATTY = bind("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
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

    public static boolean isTerminal(int fd) {
        try {
            return (int) Libc.ISATTY.invokeExact(fd) == 1;
        } catch (Throwable e) {
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
