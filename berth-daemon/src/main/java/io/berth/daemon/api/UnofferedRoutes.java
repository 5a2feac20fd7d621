package io.berth.daemon.api;

import java.util.List;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

/**
 * Endpoints of what berth does not offer, answered the way a client can act on rather than with a 404 for an
 * unknown path: BuildKit sessions (POST /session; berth builds with the classic builder, which /_ping announces
 * as Builder-Version 1) and managed plugins (none are installed, so listing answers an empty list, naming one
 * answers Docker's "not found", and installing one is refused).
 */
public final class UnofferedRoutes {
    public void register(Router router) {
        router.add("POST", "/session", (rq, rs) -> {
            throw new InvalidArgumentException("berth does not offer BuildKit sessions: it builds with the classic builder"
                    + " (DOCKER_BUILDKIT=0)");
        })
              .add("GET", "/plugins", this::list)
              .add("GET", "/plugins/privileges", (rq, rs) -> refuseInstall())
              .add("POST", "/plugins/pull", (rq, rs) -> refuseInstall())
              .add("POST", "/plugins/create", (rq, rs) -> refuseInstall())
              .add("GET", "/plugins/{name*}/json", (rq, rs) -> notFound(rq))
              .add("DELETE", "/plugins/{name*}", (rq, rs) -> notFound(rq))
              .add("POST", "/plugins/{name*}/enable", (rq, rs) -> notFound(rq))
              .add("POST", "/plugins/{name*}/disable", (rq, rs) -> notFound(rq))
              .add("POST", "/plugins/{name*}/upgrade", (rq, rs) -> notFound(rq))
              .add("POST", "/plugins/{name*}/push", (rq, rs) -> notFound(rq))
              .add("POST", "/plugins/{name*}/set", (rq, rs) -> notFound(rq));
    }

    /** No plugin is installed, so every filter Docker knows (capability, enable) matches nothing. */
    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters.parse(rq.queryParam("filters")).allowOnly("capability", "enable");
        rs.json(200, List.of());
    }

    private static void refuseInstall() {
        throw new InvalidArgumentException("berth does not support managed plugins");
    }

    private static void notFound(HttpRequest rq) {
        throw new NotFoundException("plugin \"" + rq.pathParam("name") + "\" not found");
    }
}
