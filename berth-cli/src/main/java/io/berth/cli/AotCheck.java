package io.berth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the JVM used the AOT cache the launcher gave it. The launcher turns the JVM's AOT logging off (it
 * would print on every call), so a cache the JVM refuses — trained by another JDK, with other JVM options or
 * other jars — would leave every call about twice as slow without a word. A JVM that mapped its cache says
 * "sharing" in {@code java.vm.info}; one that refused it does not. The refused cache is removed, with one line
 * saying so, and the launcher trains a new one at the next call (scripts/env.sh): reported once, not on every call.
 */
final class AotCheck {

    /** The system property through which ./berth names the cache it passed with {@code -XX:AOTCache}. */
    static final String CACHE_PROPERTY = "berth.aot.cache";

    private AotCheck() {}

    static void check(String cache, String vmInfo, PrintStream err) {
        if (cache == null || cache.isEmpty() || vmInfo == null || vmInfo.contains("sharing")) {
            return;
        }
        try {
            if (!Files.deleteIfExists(Path.of(cache))) {
                return; // another call already removed it
            }
        } catch (IOException e) {
            // a user who cannot write the tree would read this on every call and can do nothing about it: the
            // owner's next call removes it
            return;
        }
        err.println("berth: the JVM could not use the CLI's AOT cache " + cache
                + " (made for another JDK, JVM options or jars): removed, the next call trains a new one");
    }
}
