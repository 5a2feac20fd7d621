package io.berth.cli.command;

public final class RestartCommand extends StopsContainers {

    public RestartCommand() {
        super("restart", "Restart one or more containers");
    }

    @Override
    String apply(String container) {
        client().restartContainer(container, time, signal);
        return container;
    }
}
