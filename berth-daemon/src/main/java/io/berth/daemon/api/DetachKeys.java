package io.berth.daemon.api;

import java.io.InputStream;
import java.util.Arrays;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The key sequence that detaches a client from a container's terminal without stopping it (Docker's
 * {@code --detach-keys}, the attach's {@code detachKeys} query, an exec's {@code DetachKeys}): comma-separated
 * keys, each one character, {@code ctrl-@}, {@code ctrl-a} … {@code ctrl-z}, {@code ctrl-[}, {@code ctrl-\},
 * {@code ctrl-]}, {@code ctrl-^}, {@code ctrl-_} or {@code DEL}. None given: Docker's ctrl-p,ctrl-q.
 * As in Docker it is watched for only on a terminal; without one every byte is the program's input.
 */
record DetachKeys(byte[] sequence) {
    static final DetachKeys DEFAULT = new DetachKeys(new byte[] {16, 17});
    /** The control keys in code order: ctrl-@ is 0, ctrl-a is 1, ... ctrl-_ is 31. */
    private static final String CONTROL_KEYS = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    DetachKeys {
        sequence = sequence.clone();
    }

    /**
     * @param errorFormat the refusal's message with {@code %s} for the keys, in the words Docker uses where they
     *                    were given
     */
    static DetachKeys parse(String keys, String errorFormat) {
        if (keys == null || keys.isEmpty()) return DEFAULT;
        String[] parts = keys.split(",", -1);
        byte[] codes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int code = code(parts[i]);
            if (code < 0) throw new InvalidArgumentException(errorFormat.formatted(keys));
            codes[i] = (byte) code;
        }
        return new DetachKeys(codes);
    }

    private static int code(String key) {
        if (key.length() == 1 && key.charAt(0) < 0x80) return key.charAt(0);
        if (key.equals("DEL")) return 127;
        if (key.length() == 6 && key.startsWith("ctrl-")) return CONTROL_KEYS.indexOf(key.charAt(5));
        return -1;
    }

    /** The client's input up to (not including) this sequence; see {@link DetachingInputStream}. */
    DetachingInputStream watch(InputStream client) {
        return new DetachingInputStream(client, sequence);
    }

    @Override
    public byte[] sequence() {
        return sequence.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachKeys k && Arrays.equals(sequence, k.sequence);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sequence);
    }

    @Override
    public String toString() {
        return "DetachKeys" + Arrays.toString(sequence);
    }
}
