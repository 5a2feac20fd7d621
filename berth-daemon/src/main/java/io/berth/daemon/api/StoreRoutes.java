package io.berth.daemon.api;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.store.GarbageCollector;
import io.berth.store.StoreCheck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * berth's Engine API extension for the store: {@code POST /berth/system/check[?repair=1]} verifies blobs,
 * snapshots and references and answers a JSON report (see {@link StoreCheck}); with {@code repair} it first
 * removes what nothing references and lists it under {@code Repaired}.
 */
public final class StoreRoutes {
    private final StoreCheck check;

    public StoreRoutes(StoreCheck check) {
        this.check = check;
    }

    public void register(Router router) {
        router.add("POST", "/berth/system/check", this::check);
    }

    private void check(HttpRequest rq, HttpResponse rs) throws Exception {
        StoreCheck.Result result = check.run(rq.queryFlag("repair"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Problems", result.problems().stream()
                .map(p -> Map.of("Object", p.object(), "Problem", p.problem())).toList());
        m.put("Repaired", result.repaired().stream().map(StoreRoutes::removed).toList());
        m.put("Notes", result.notes());
        m.put("Checked", Map.of("Blobs", result.checked().blobs(), "Snapshots", result.checked().snapshots(),
                "Images", result.checked().images(), "References", result.checked().references()));
        rs.json(200, m);
    }

    private static Map<String, Object> removed(GarbageCollector.Removed r) {
        return Map.of("Removed", r.what(), "Size", r.bytes());
    }
}
