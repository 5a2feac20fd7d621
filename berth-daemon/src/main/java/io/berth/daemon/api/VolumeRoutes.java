package io.berth.daemon.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.daemon.volumes.VolumeFilter;
import io.berth.daemon.volumes.VolumeService;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.volumes.Volume;

/** /volumes: decode, call {@link VolumeService}, encode Docker's JSON; the rules live in the service. */
public final class VolumeRoutes {
    private static final int MAX_BODY = 1 << 20;
    private final VolumeService volumes;

    public VolumeRoutes(VolumeService volumes) {
        this.volumes = volumes;
    }

    public void register(Router router) {
        router.add("GET", "/volumes", this::list)
              .add("POST", "/volumes/create", this::create)
              .add("POST", "/volumes/prune", this::prune)
              .add("GET", "/volumes/{name}", this::inspect)
              .add("DELETE", "/volumes/{name}", this::remove);
    }

    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        VolumeFilter filter = VolumeFilter.forList(Filters.parse(rq.queryParam("filters")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Volumes", volumes.list(filter).stream().map(this::view).toList());
        m.put("Warnings", null);
        rs.json(200, m);
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = JsonBody.read(rq, MAX_BODY);
        if (body.hasNonNull("ClusterVolumeSpec")) {
            throw new InvalidArgumentException("berth does not support ClusterVolumeSpec (cluster volumes are swarm's)");
        }
        Volume v = volumes.create(text(body, "Name"), text(body, "Driver"), stringMap(body, "Labels"),
                stringMap(body, "DriverOpts"));
        rs.json(201, view(v));
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        rs.json(200, view(volumes.inspect(rq.pathParam("name"))));
    }

    private void remove(HttpRequest rq, HttpResponse rs) throws Exception {
        volumes.remove(rq.pathParam("name"), rq.queryFlag("force"));
        rs.empty(204);
    }

    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        VolumeFilter filter = VolumeFilter.forPrune(Filters.parse(rq.queryParam("filters")), before142(rq.apiVersion()));
        VolumeService.PruneReport report = volumes.prune(filter);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", report.deleted().isEmpty() ? null : report.deleted());
        m.put("SpaceReclaimed", report.spaceReclaimed());
        rs.json(200, m);
    }

    /** A volume as GET /volumes/{name} shows it (Docker's field order); Status is omitted, as the local driver's. */
    Map<String, Object> view(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", v.driver());
        m.put("Labels", v.labels());
        m.put("Mountpoint", volumes.mountpoint(v.name()).toString());
        m.put("Name", v.name());
        m.put("Options", v.options());
        m.put("Scope", "local");
        return m;
    }

    /** The /system/df entries: each volume with UsageData. */
    public List<Map<String, Object>> usage() {
        return volumes.usage().stream().map(u -> {
            Map<String, Object> m = view(u.volume());
            m.put("UsageData", Map.of("Size", u.size(), "RefCount", u.refCount()));
            return m;
        }).toList();
    }

    /** API versions before 1.42 pruned every unused volume, named ones included. */
    static boolean before142(String apiVersion) {
        return io.berth.daemon.http.ApiVersion.before(apiVersion, 42);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new InvalidArgumentException(field + " must be a string");
        return n.asText();
    }

    private static Map<String, String> stringMap(JsonNode body, String field) {
        JsonNode n = body.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        if (!n.isObject()) throw new InvalidArgumentException(field + " must be an object of strings");
        n.properties().forEach(e -> {
            if (!e.getValue().isTextual()) throw new InvalidArgumentException(field + "." + e.getKey() + " must be a string");
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
