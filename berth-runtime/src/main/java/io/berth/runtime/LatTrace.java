package io.berth.runtime;

final class LatTrace {
    private static final long T0 = System.nanoTime();
    static void mark(String id, String what) {
        System.err.printf("LAT %s %.2f %s%n", id.substring(0, 6), (System.nanoTime() - T0) / 1e6, what);
    }
}
