package io.berth.daemon.api;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.network.runtime.NetworkStatusReader;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerStats;

/** GET /containers/{id}/stats: one sample or a stream of them, each with the previous one as "precpu". */
public final class StatsRoutes {
    private static final long INTERVAL_MS = 1000;
    private final ContainerService containers;

    public StatsRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("GET", "/containers/{id}/stats", this::stats);
    }

    private void stats(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        boolean stream = rq.queryParam("stream") == null || rq.queryFlag("stream");
        boolean oneShot = rq.queryFlag("one-shot");
        ContainerStats previous = null;
        if (!stream) {
            if (!oneShot) {
                // As Docker: without one-shot, a second sample gives the CPU delta the client needs.
                previous = containers.stats(c.id());
                Thread.sleep(INTERVAL_MS / 2);
            }
            rs.json(200, view(c, containers.stats(c.id()), previous));
            return;
        }
        try (OutputStream out = rs.stream(200, "application/json")) {
            while (true) {
                ContainerStats now = containers.stats(c.id());
                out.write((ApiJson.MAPPER.writeValueAsString(view(c, now, previous)) + "\n").getBytes(StandardCharsets.UTF_8));
                previous = now;
                if (!containers.inspect(c.id()).state().isRunning()) return;
                Thread.sleep(INTERVAL_MS);
            }
        }
    }

    static Map<String, Object> view(Container c, ContainerStats s, ContainerStats pre) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", DockerTime.format(s.read()));
        m.put("preread", pre == null ? DockerTime.ZERO : DockerTime.format(pre.read()));
        m.put("pids_stats", s.pidsLimit() > 0 ? Map.of("current", s.pidsCurrent(), "limit", s.pidsLimit())
                : Map.of("current", s.pidsCurrent()));
        m.put("blkio_stats", Map.of("io_service_bytes_recursive", List.of(), "io_serviced_recursive", List.of()));
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(s));
        m.put("precpu_stats", pre == null ? Map.of("cpu_usage", Map.of("total_usage", 0), "throttling_data", throttling()) : cpu(pre));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("usage", s.memoryUsage());
        memory.put("max_usage", s.memoryMaxUsage());
        memory.put("stats", s.memoryStat());
        memory.put("limit", s.memoryLimit());
        m.put("memory_stats", memory);
        // as Docker: only a container with a namespace of its own has "networks" (none of host's, nor of another's)
        if (c.state().isRunning() && c.state().pid() > 0 && !c.spec().network().isHost()
                && c.spec().network().joinedContainer().isEmpty()) {
            Map<String, Object> networks = new LinkedHashMap<>();
            Map<String, InterfaceCounters> base = counterBaseline(c);
            InterfaceCounters.ofProcess(c.state().pid()).forEach((name, counters) -> networks.put(name, counters.since(base.get(name)).view()));
            if (!networks.isEmpty()) m.put("networks", networks);
        }
        m.put("name", "/" + c.name());
        m.put("id", c.id());
        return m;
    }

    /** The interface counters when the container got a prewired namespace; none when one was made for it. */
    private static Map<String, InterfaceCounters> counterBaseline(Container c) {
        try {
            return NetworkStatusReader.counterBaseline(c.paths().runDir()).map(InterfaceCounters::parse).orElse(Map.of());
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private static Map<String, Object> cpu(ContainerStats s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", s.cpuTotalUsageNs());
        usage.put("percpu_usage", s.perCpuUsageNs());
        usage.put("usage_in_kernelmode", s.cpuSystemNs());
        usage.put("usage_in_usermode", s.cpuUserNs());
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        cpu.put("system_cpu_usage", s.systemCpuUsageNs());
        cpu.put("online_cpus", s.onlineCpus());
        cpu.put("throttling_data", throttling());
        return cpu;
    }

    private static Map<String, Object> throttling() {
        return Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0);
    }
}
