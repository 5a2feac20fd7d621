package io.berth.cli.command;

public final class StopCommand extends StopsContainers {

    public StopCommand() {
        super("stop", "Stop one or more running containers");
    }

    @Override
    String apply(String container) {
        client().stopContainer(container, time, signal);
        return container;
    }
}
