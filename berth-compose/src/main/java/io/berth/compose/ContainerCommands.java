package io.berth.compose;

import java.util.List;

/**
 * The berth CLI's own container commands ({@code exec}, {@code attach}, {@code cp}, {@code stats}), run in this
 * process against the same daemon with the same streams, terminal and environment. Compose finds the container;
 * the CLI's one implementation of each command does the rest (a TTY with raw mode and resizes for exec and
 * attach, tar streams for cp, the stats table), as Docker Compose v2 runs the docker CLI's code for them.
 */
@FunctionalInterface
public interface ContainerCommands {
    /** Runs {@code berth ARGS...}; returns its exit status. */
    int run(List<String> args);
}
