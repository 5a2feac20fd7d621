package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JsonLineCopy}'s copy of a JSON string's plain bytes, a vector at a time (as {@link LogVectorCopy} for conmon's
 * records). Loaded only when the JVM resolved {@code jdk.incubator.vector}.
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

    /** As {@link JsonLineCopy#copyToQuoteOrBackslash}. */
    static long copyToQuoteOrBackslash(MemorySegment src, long from, long len, MemorySegment dst, long to, long limit) {
        int width = SPECIES.length();
        for (long i = from, d = to; i + width <= len && d + width <= limit; i += width, d += width) {
            ByteVector v = ByteVector.fromMemorySegment(SPECIES, src, i, ByteOrder.LITTLE_ENDIAN);
            v.intoMemorySegment(dst, d, ByteOrder.LITTLE_ENDIAN);
            VectorMask<Byte> stop = v.eq((byte) '"').or(v.eq((byte) '\\'));
            if (stop.anyTrue()) return i + stop.firstTrue();
        }
        return -1;
    }
}
