package io.berth.cli.command;

import sun.misc.Signal;

/** Local signal handling for attached sessions (window changes, proxying INT/TERM to the container). */
final class Signals {

    private Signals() {}

    static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), s -> action.run());
        } catch (IllegalArgumentException e) {
            // the signal is reserved by the JVM on this platform; the session works without it
        }
    }
}
