package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JsonLineCopy}'s copy of a JSON string, a vector at a time (as {@link LogVectorCopy} for conmon's records), and
 * the encoder's scan for bytes to escape. Loaded only when the JVM resolved {@code jdk.incubator.vector}.
 */
final class JsonVectorCopy {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() >= 32
            ? ByteVector.SPECIES_256 : ByteVector.SPECIES_PREFERRED;

    private JsonVectorCopy() {}

    /**
     * As {@link JsonLogLines#firstSpecial}. Bytes compare signed, so "less than 0x20" is true for the control bytes
     * and for every byte of 0x80 and above: one comparison for both.
     */
    static long firstSpecial(MemorySegment s, long from, long to) {
        int width = SPECIES.length();
        long i = from;
        for (; i + width <= to; i += width) {
            ByteVector v = ByteVector.fromMemorySegment(SPECIES, s, i, ByteOrder.LITTLE_ENDIAN);
            VectorMask<Byte> m = v.compare(VectorOperators.LT, (byte) 0x20).or(v.eq((byte) '"')).or(v.eq((byte) '\\'))
                    .or(v.eq((byte) '<')).or(v.eq((byte) '>')).or(v.eq((byte) '&'));
            if (m.anyTrue()) return i + m.firstTrue();
        }
        return JsonLogLines.firstSpecialByWords(s, i, to);
    }

    /**
     * As {@link JsonLineCopy#copyString}, a vector at a time: the whole string in this one method, so that its vectors
     * are compiled with it whether or not the caller inlines it (a vector that leaves a compiled method is boxed).
     */
    static long copyString(JsonLineCopy line, MemorySegment src, long from, long len, MemorySegment dst, long to, long limit) {
        int width = SPECIES.length();
        long i = from;
        long d = to;
        while (i + width <= len && d + width <= limit) {
            ByteVector v = ByteVector.fromMemorySegment(SPECIES, src, i, ByteOrder.LITTLE_ENDIAN);
            v.intoMemorySegment(dst, d, ByteOrder.LITTLE_ENDIAN);
            VectorMask<Byte> stop = v.eq((byte) '"').or(v.eq((byte) '\\'));
            if (!stop.anyTrue()) {
                i += width;
                d += width;
                continue;
            }
            int n = stop.firstTrue();
            i += n;
            d += n;
            if (src.get(ValueLayout.JAVA_BYTE, i) == '"') {
                line.dataEnd = d;
                return i;
            }
            if (i + 2 >= len) return -1;
            int out = JsonLineCopy.unescaped(src.get(ValueLayout.JAVA_BYTE, i + 1));
            if (out < 0) return -1;
            dst.set(ValueLayout.JAVA_BYTE, d++, (byte) out);
            i += 2;
            if (src.get(ValueLayout.JAVA_BYTE, i) == '"') { // the usual end: an escaped newline, then the quote
                line.dataEnd = d;
                return i;
            }
        }
        return -1;
    }
}
