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
    /** What a start needs to know about a linked container. */
    public record Linked(String name, String hostname, boolean running, Optional<String> bridgeAddress,
                         List<String> env, List<String> exposed) {}

    /** Finds a container by its full id; empty once it has been removed. */
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
            String address = child.bridgeAddress().orElseThrow(() -> new FailedPreconditionException(
                    "container " + link.containerId() + " not attached to default bridge network"));
            // the alias, the hostname, and the name unless the alias is the name
            String names = link.alias() + " " + child.hostname() + (link.alias().equals(child.name()) ? "" : " " + child.name());
            run.addHostsLine(address + "\t" + names);
            LinkEnv.build(linkName, address, child.env(), child.exposed()).forEach(run::addEnv);
        }
    }

    @Override
    public void tearDown(StepRun run) {
        // nothing of its own outside the container's files
    }
}
