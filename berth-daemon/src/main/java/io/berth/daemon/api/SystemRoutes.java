package io.berth.daemon.api;

import io.berth.store.GarbageCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.ApiVersion;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.linux.LinuxArch;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerState;

/** /_ping, /version, /info, /events and /system/df. */
public final class SystemRoutes {
    private final ContainerService containers;
    private final ImageLookup images;
    private final EventBus events;
    private final DaemonFacts facts;
    private final GarbageCollector gc;
    private final Supplier<List<Map<String, Object>>> volumeUsage;

    /** Facts about this daemon that /info and /version report. */
    public record DaemonFacts(String dataRoot, String defaultRuntime, Instant started) {}

    public SystemRoutes(ContainerService containers, ImageLookup images, EventBus events, GarbageCollector gc,
                        Supplier<List<Map<String, Object>>> volumeUsage, DaemonFacts facts) {
        this.volumeUsage = volumeUsage;
        this.gc = gc;
        this.containers = containers;
        this.images = images;
        this.events = events;
        this.facts = facts;
    }

    public void register(Router router) {
        router.add("GET", "/_ping", this::ping)
              .add("HEAD", "/_ping", this::ping)
              .add("GET", "/version", this::version)
              .add("GET", "/info", this::info)
              .add("GET", "/events", this::events)
              .add("GET", "/system/df", this::df);
    }

    private void ping(HttpRequest rq, HttpResponse rs) throws IOException {
        rs.header("Cache-Control", "no-cache, no-store, must-revalidate").header("Pragma", "no-cache")
          .header("Builder-Version", "1")
          .send(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.US_ASCII));
    }

    private void version(HttpRequest rq, HttpResponse rs) throws IOException {
        rs.json(200, versionBody());
    }

    /** GET /version's body: Arch in Go's names ("amd64", "arm64"), as Docker reports it. */
    static Map<String, Object> versionBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "berth"));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", ApiVersion.ENGINE,
                "Details", Map.of("ApiVersion", ApiVersion.CURRENT, "MinAPIVersion", ApiVersion.MINIMUM, "Os", "linux"))));
        m.put("Version", ApiVersion.ENGINE);
        m.put("ApiVersion", ApiVersion.CURRENT);
        m.put("MinAPIVersion", ApiVersion.MINIMUM);
        m.put("GitCommit", "berth");
        m.put("GoVersion", "java" + Runtime.version().feature());
        m.put("Os", "linux");
        m.put("Arch", LinuxArch.current().goName());
        m.put("KernelVersion", System.getProperty("os.version"));
        m.put("BuildTime", "");
        return m;
    }

    private void info(HttpRequest rq, HttpResponse rs) throws IOException {
        List<Container> all = containers.list();
        long running = all.stream().filter(c -> c.state().status() == ContainerState.Status.RUNNING).count();
        long paused = all.stream().filter(c -> c.state().status() == ContainerState.Status.PAUSED).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", "berth");
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", images.count());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", "extfs")));
        m.put("DockerRootDir", facts.dataRoot());
        m.put("DefaultRuntime", facts.defaultRuntime());
        m.put("Runtimes", Map.of("crun", Map.of("path", "crun"), "runc", Map.of("path", "runc")));
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("PidsLimit", true);
        m.put("OomKillDisable", false);
        m.put("KernelVersion", System.getProperty("os.version"));
        m.put("OperatingSystem", "berth on Linux");
        m.put("OSType", "linux");
        m.put("Architecture", LinuxArch.current().machine());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", totalMemory());
        m.put("Name", hostName());
        m.put("ServerVersion", ApiVersion.ENGINE);
        m.put("LoggingDriver", "k8s-file");
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("none"), "Log", List.of("k8s-file")));
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of()));
        m.put("SecurityOptions", List.of("name=seccomp,profile=builtin", "name=cgroupns"));
        m.put("Warnings", List.of());
        rs.json(200, m);
    }

    private void events(HttpRequest rq, HttpResponse rs) throws Exception {
        Instant since = DockerTime.parse(rq.queryParam("since"));
        Instant until = DockerTime.parse(rq.queryParam("until"));
        Filters filters = Filters.parse(rq.queryParam("filters"));
        try (EventBus.Subscription sub = events.subscribe(since == null ? null : since);
             OutputStream out = rs.stream(200, "application/json")) {
            for (EventBus.Event e : sub.past()) {
                if (until != null && e.time().isAfter(until)) return;
                if (accept(e, filters)) write(out, e);
            }
            while (true) {
                long wait = until == null ? 1000 : Math.max(1, until.toEpochMilli() - System.currentTimeMillis());
                if (until != null && Instant.now().isAfter(until)) return;
                EventBus.Event e = sub.next(Math.min(wait, 1000));
                if (e == null) continue;
                if (until != null && e.time().isAfter(until)) return;
                if (accept(e, filters)) write(out, e);
            }
        }
    }

    private static boolean accept(EventBus.Event e, Filters f) {
        if (f.has("type") && !f.get("type").contains(e.type())) return false;
        if (f.has("event") && f.get("event").stream().noneMatch(x -> eventMatches(x, e.action()))) return false;
        if (f.has("container") && (!e.type().equals("container") || f.get("container").stream()
                .noneMatch(c -> e.actorId().startsWith(c) || c.equals(e.attributes().get("name"))))) return false;
        if (f.has("image") && f.get("image").stream().noneMatch(i -> i.equals(e.attributes().get("image")))) return false;
        return !f.has("label") || f.get("label").stream().allMatch(l -> Filters.labelMatches(l, e.attributes()));
    }

    /** Docker matches health_status, exec_create and exec_start by prefix: their actions carry a suffix ("health_status: healthy"). */
    private static boolean eventMatches(String wanted, String action) {
        boolean prefixed = wanted.equals("health_status") || wanted.equals("exec_create") || wanted.equals("exec_start");
        return prefixed ? action.startsWith(wanted) : action.equals(wanted);
    }

    private static void write(OutputStream out, EventBus.Event e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.action());
        m.put("id", e.actorId());
        if (e.attributes().containsKey("image")) m.put("from", e.attributes().get("image"));
        m.put("Type", e.type());
        m.put("Action", e.action());
        m.put("Actor", Map.of("ID", e.actorId(), "Attributes", e.attributes()));
        m.put("scope", "local");
        m.put("time", e.time().getEpochSecond());
        m.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        out.write((ApiJson.MAPPER.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void df(HttpRequest rq, HttpResponse rs) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        // Content nothing references (a failed or killed load, pull or build; removed build cache records) is
        // image data a prune reclaims: it counts in the total, and no container uses it.
        GarbageCollector.Report unreferenced = gc.reclaimable();
        m.put("LayersSize", images.layersSize() + unreferenced.bytes());
        m.put("Images", images.summaries());
        m.put("Containers", containers.list().stream().map(new ContainerView()::summary).toList());
        m.put("Volumes", volumeUsage.get());
        m.put("BuildCache", List.of());
        m.put("BerthUnreferenced", Map.of("Count", unreferenced.removed().size(), "Size", unreferenced.bytes()));
        rs.json(200, m);
    }

    private static long totalMemory() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException ignored) {
            // /proc is always there on Linux; report 0 rather than fail /info.
        }
        return 0;
    }

    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
