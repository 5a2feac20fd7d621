package io.berth.daemon.links;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerStep;
import io.berth.runtime.StepRun;

/**
 * Links on user-defined networks at each start, after the network step: the lines {@link EndpointLinkHosts} gives
 * for the targets running now go into the new /etc/hosts, so the first process already resolves them. Later
 * changes (a target that starts, stops, restarts with another address, is renamed, connected or disconnected) are
 * {@link EndpointLinkRefresher}'s.
 */
public final class EndpointLinkStep implements ContainerStep {
    private final Supplier<List<EndpointLinkHosts.Peer>> peers;

    /** @param peers the endpoints of the running containers ({@link RunningPeers#list}) */
    public EndpointLinkStep(Supplier<List<EndpointLinkHosts.Peer>> peers) {
        this.peers = peers;
    }

    @Override
    public String name() {
        return "endpoint-links";
    }

    @Override
    public void setUp(StepRun run) throws IOException {
        Container c = run.container();
        if (!EndpointLinkHosts.hasLinks(c.spec().network())) {
            // a record left by links since disconnected names lines the new hosts file does not have
            java.nio.file.Files.deleteIfExists(LinkedHostsFile.record(c.paths()));
            return;
        }
        List<String> lines = EndpointLinkHosts.lines(c.spec().network().attachments(), peers.get());
        lines.forEach(run::addHostsLine);
        LinkedHostsFile.started(c.paths(), lines);
    }

    @Override
    public void tearDown(StepRun run) {
        // the record goes with the container's directory; the next start writes it again
    }
}
