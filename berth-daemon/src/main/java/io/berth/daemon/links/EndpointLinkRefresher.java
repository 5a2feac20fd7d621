package io.berth.daemon.links;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;

/**
 * Keeps the link lines of running containers current, as Docker's embedded DNS answers with a target's address of
 * the moment: called after every change that can move a name on a network (a container starts, dies, is removed or
 * renamed; a network connect or disconnect), it rewrites the lines of each running container that has links on a
 * user-defined network. Synchronous, so a client that restarted the target and then asks the linking container
 * finds the new address. One refresh at a time: two racing refreshes could otherwise leave the older view last.
 * Nothing is read when no container has such links.
 */
public final class EndpointLinkRefresher {
    private static final Logger LOG = Logger.getLogger(EndpointLinkRefresher.class.getName());
    /** The container events after which a name may answer with another address, or none. */
    public static final Set<String> ACTIONS = Set.of("start", "die", "destroy", "rename");

    private final Supplier<ContainerService> containers;
    private final Supplier<List<EndpointLinkHosts.Peer>> peers;

    /** @param peers the endpoints of the running containers ({@link RunningPeers#list}) */
    public EndpointLinkRefresher(Supplier<ContainerService> containers, Supplier<List<EndpointLinkHosts.Peer>> peers) {
        this.containers = containers;
        this.peers = peers;
    }

    public void refresh() {
        refresh("");
    }

    /**
     * As {@link #refresh()}, and {@code changed} (a container id) even when it has no links left: a container
     * disconnected from the network of its last link still has that link's lines.
     */
    public synchronized void refresh(String changed) {
        ContainerService service = containers.get();
        if (service == null) return;
        List<Container> linking = service.list().stream().filter(c -> c.state().isRunning()
                && (EndpointLinkHosts.hasLinks(c.spec().network()) || c.id().equals(changed))).toList();
        if (linking.isEmpty()) return;
        List<EndpointLinkHosts.Peer> now = peers.get();
        for (Container c : linking) {
            try {
                LinkedHostsFile.replace(c.paths(), EndpointLinkHosts.lines(c.spec().network().attachments(), now));
            } catch (IOException e) {
                // the change that triggered this belongs to another container and has happened: it is not undone
                LOG.log(Level.WARNING, "updating the link lines of " + c.name() + "'s /etc/hosts", e);
            }
        }
    }
}
