package io.berth.daemon.api;

/** Sizes in Docker's decimal units: 1.2MB, 345kB. */
final class Sizes {
    private Sizes() {}

    static String human(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.3g%s", v, units[u]);
    }
}
