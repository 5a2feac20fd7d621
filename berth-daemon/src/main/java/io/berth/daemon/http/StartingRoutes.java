package io.berth.daemon.http;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.berth.oci.errors.SystemFailureException;

/**
 * The route table of a berthd that serves its socket before it is wired: the socket is bound first, so that a
 * client's first {@code _ping} is answered while the stores open, containers are recovered and the start-time
 * sweep runs. Only the routes of the early table (those whose answer nothing in the wiring can change) are served
 * at once; every other request waits on its connection's virtual thread until {@link #ready} hands over the full
 * table, so no request ever sees a half-recovered engine: a container list made during recovery is made after it.
 *
 * <pre>
 *   bind ──► early table (ping) ──► ready(full table) ──► every request by the full table
 *                 └─ other requests wait ─┘
 * </pre>
 */
public final class StartingRoutes implements RouteTable {
    private final Router early;
    private final CompletableFuture<Router> full = new CompletableFuture<>();

    public StartingRoutes(Router early) {
        this.early = early;
    }

    /** The wiring is done: every request, waiting or new, goes to {@code routes}. */
    public void ready(Router routes) {
        full.complete(routes);
    }

    /** The wiring failed (berthd is about to exit): waiting requests get a 500 saying why. */
    public void failed(Throwable why) {
        full.completeExceptionally(why);
    }

    @Override
    public Router.Match match(String method, String path) {
        if (!full.isDone()) { // not getNow: after a failed wiring it throws, unmapped, for every request
            Router.Match now = early.match(method, path);
            if (now instanceof Router.Match.Found) return now;
        }
        return awaitFull().match(method, path);
    }

    private Router awaitFull() {
        try {
            return full.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new SystemFailureException("berthd failed to start: " + cause.getMessage(), cause);
        }
    }
}
