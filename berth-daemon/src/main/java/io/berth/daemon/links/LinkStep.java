package io.berth.daemon.links;

import java.util.List;
import java.util.Optional;

import io.berth.oci.errors.FailedPreconditionException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerStep;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;

/**
 * Legacy links, resolved at each start of the linking container, after the network step: each linked container
 * must run on the default bridge; its address goes to /etc/hosts under the alias, its hostname and its name, and
 * its ports and env become variables of the main process ({@link LinkEnv}). As in Docker, nothing follows later:
 * a linked container that restarts with another address is seen again only at the next start of this one. A
 * linked container that was removed no longer counts (Docker drops the link with it).
 */
public final class LinkStep implements ContainerStep {
    /**
     * What a start needs to know about a linked container.
     *
     * @param ipv4 its address on the default bridge, empty when it is not on it (or does not run)
     * @param ipv6 its global IPv6 address there, or empty
     */
    public record Linked(String name, String hostname, boolean running, String ipv4, String ipv6,
                         List<String> env, List<String> exposed) {}

    /**
     * Finds a container by its full id; empty once it has been removed. A container that shares another's network
     * namespace (container:ID) is that other container for its links, as Docker's.
     */
    @FunctionalInterface
    public interface Containers {
        Optional<Linked> find(String id);
    }

    private final Containers containers;

    public LinkStep(Containers containers) {
        this.containers = containers;
    }

    @Override
    public String name() {
        return "links";
    }

    @Override
    public void setUp(StepRun run) {
        Container c = run.container();
        NetworkSpec spec = c.spec().network();
        if (spec.links().isEmpty() || !spec.mode().equals(NetworkSpec.DEFAULT_BRIDGE)) return;
        // a container disconnected from the default bridge has no links to follow, as Docker's
        if (spec.attachments().stream().noneMatch(a -> a.network().equals(NetworkSpec.DEFAULT_BRIDGE))) return;
        String self = c.name().startsWith("/") ? c.name() : "/" + c.name();
        for (NetworkSpec.Link link : spec.links()) {
            Optional<Linked> found = containers.find(link.containerId());
            if (found.isEmpty()) continue;
            Linked child = found.get();
            String linkName = self + "/" + link.alias();
            if (!child.running()) {
                throw new FailedPreconditionException("Cannot link to a non running container: /" + child.name() + " AS " + linkName);
            }
            if (child.ipv4().isEmpty()) {
                throw new FailedPreconditionException("container " + link.containerId() + " not attached to default bridge network");
            }
            // the alias, the hostname, and the name unless the alias is the name
            String names = link.alias() + " " + child.hostname() + (link.alias().equals(child.name()) ? "" : " " + child.name());
            run.addHostsLine(child.ipv4() + "\t" + names);
            if (!child.ipv6().isEmpty()) run.addHostsLine(child.ipv6() + "\t" + names);
            LinkEnv.build(linkName, child.ipv4(), child.env(), child.exposed()).forEach(run::addEnv);
        }
    }

    @Override
    public void tearDown(StepRun run) {
        // nothing of its own outside the container's files
    }
}
