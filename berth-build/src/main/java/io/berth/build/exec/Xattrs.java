package io.berth.build.exec;

import io.berth.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extended attributes of a path itself (never a symlink's target), through llistxattr/lgetxattr: Java's
 * UserDefinedFileAttributeView only sees the "user." namespace, but overlayfs marks opaque directories with
 * "trusted.overlay.opaque".
 */
final class Xattrs {
    private static final MethodHandle LLISTXATTR = Libc.function("llistxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LGETXATTR = Libc.function("lgetxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG));
    private static final int MAX = 64 * 1024;

    private Xattrs() {
    }

    /** All readable attributes, by name; unreadable or unsupported ones are left out. */
    static Map<String, byte[]> read(Path path) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path.toString());
            MemorySegment names = arena.allocate(MAX);
            long n = (long) LLISTXATTR.invokeExact(p, names, (long) MAX);
            if (n <= 0) {
                return out;
            }
            byte[] raw = names.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    String name = new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
                    start = i + 1;
                    byte[] value = get(arena, p, name);
                    if (value != null) {
                        out.put(name, value);
                    }
                }
            }
        } catch (Throwable t) {
            return out;
        }
        return out;
    }

    /** Whether overlayfs marked the directory opaque (lower layers' entries below it are hidden). */
    static boolean isOpaque(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(dir.toString());
            for (String name : new String[] {"trusted.overlay.opaque", "user.overlay.opaque"}) {
                byte[] v = get(arena, p, name);
                if (v != null && v.length == 1 && v[0] == 'y') {
                    return true;
                }
            }
            return false;
        }
    }

    private static byte[] get(Arena arena, MemorySegment path, String name) {
        try {
            MemorySegment buf = arena.allocate(MAX);
            long n = (long) LGETXATTR.invokeExact(path, arena.allocateFrom(name), buf, (long) MAX);
            return n < 0 ? null : buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            return null;
        }
    }
}
