package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One service replica as the Engine API's container create body (Config, HostConfig, NetworkingConfig,
 * as Docker defines them), named {@code PROJECT-SERVICE-N} and labelled as Docker Compose labels it.
 * A service field this class does not turn into the request is refused by name, never dropped.
 */
final class ContainerSpec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The fields a service may have; each is used here or by {@link Compose} (image, build, scale...). */
    static final Set<String> SUPPORTED = Set.of(
            "image", "build", "command", "entrypoint", "environment", "ports", "expose", "volumes", "networks",
            "network_mode", "depends_on", "healthcheck", "restart", "user", "working_dir", "labels", "stop_signal",
            "stop_grace_period", "init", "read_only", "tmpfs", "cap_add", "cap_drop", "mem_limit", "memswap_limit",
            "mem_reservation", "cpus", "cpu_shares", "pids_limit", "deploy", "scale", "hostname", "domainname",
            "extra_hosts", "dns", "dns_search", "dns_opt", "logging", "secrets", "configs", "privileged",
            "security_opt", "ulimits", "sysctls", "container_name", "profiles", "pull_policy", "tty", "stdin_open",
            "shm_size", "ipc", "pid", "group_add", "oom_score_adj", "devices", "cpuset", "cpu_period", "cpu_quota",
            "cpu_rt_period", "cpu_rt_runtime", "mem_swappiness", "oom_kill_disable", "blkio_config");
    private static final Set<String> DEPLOY_SUPPORTED = Set.of("replicas", "resources", "restart_policy");

    /** A network the container joins after creation (the API before 1.44 takes one at create). */
    record Attachment(String network, List<String> aliases, String ipv4Address) {}

    record Plan(String name, ObjectNode body, List<Attachment> moreNetworks) {}

    private ContainerSpec() {}

    static String containerName(Project p, String service, int number, boolean oneoff) {
        JsonNode explicit = p.service(service).get("container_name");
        if (explicit != null && !oneoff) return explicit.asText();
        return p.name() + "-" + service + "-" + number;
    }

    /** The image a service runs: its {@code image}, or {@code PROJECT-SERVICE} for a build without one. */
    static String imageOf(Project p, String service) {
        JsonNode s = p.service(service);
        if (s.hasNonNull("image")) return s.get("image").asText();
        if (s.has("build")) return p.name() + "-" + service;
        throw new ComposeException("service \"" + service + "\" has neither an image nor a build context specified: invalid compose project");
    }

    /** Refuses the service fields berth compose does not implement, naming them. */
    static void checkSupported(String name, JsonNode s) {
        for (String key : ProjectLoader.names((ObjectNode) s)) {
            if (key.startsWith("x-")) continue;
            if (!SUPPORTED.contains(key)) {
                throw new ComposeException("service \"" + name + "\": \"" + key + "\" is not supported by berth compose (see docs/compose.md)");
            }
        }
        for (String key : ProjectLoader.names(s.path("deploy") instanceof ObjectNode d ? d : F.objectNode())) {
            if (!DEPLOY_SUPPORTED.contains(key) && !key.startsWith("x-")) {
                throw new ComposeException("service \"" + name + "\": \"deploy." + key + "\" is not supported by berth compose (see docs/compose.md)");
            }
        }
        JsonNode res = s.path("deploy").path("resources");
        for (String kind : new String[] {"limits", "reservations"}) {
            res.path(kind).fieldNames().forEachRemaining(k -> {
                if (!Set.of("cpus", "memory", "pids").contains(k) || (kind.equals("reservations") && !k.equals("memory"))) {
                    throw new ComposeException("service \"" + name + "\": \"deploy.resources." + kind + "." + k + "\" is not supported by berth compose (see docs/compose.md)");
                }
            });
        }
        for (JsonNode v : s.path("volumes")) {
            String type = v.path("type").asText();
            if (!Set.of("volume", "bind", "tmpfs").contains(type)) {
                throw new ComposeException("service \"" + name + "\": volume type \"" + type + "\" is not supported by berth compose");
            }
            // keys Compose turns into mount options berth has no equivalent for (Linux mounts ignore consistency,
            // Compose sends it all the same; recursive read-only binds and labels on a service's volume are not built)
            if (v.hasNonNull("consistency") && !v.get("consistency").asText().equals("default")) {
                throw new ComposeException("service \"" + name + "\": \"volumes.consistency\" is not supported by berth compose (see docs/compose.md)");
            }
            if (v.path("bind").has("recursive")) {
                throw new ComposeException("service \"" + name + "\": \"volumes.bind.recursive\" is not supported by berth compose (see docs/compose.md)");
            }
            if (v.path("volume").has("labels")) {
                throw new ComposeException("service \"" + name + "\": \"volumes.volume.labels\" is not supported by berth compose (see docs/compose.md)");
            }
        }
        for (String kind : new String[] {"secrets", "configs"}) {
            for (JsonNode ref : s.path(kind)) {
                for (String k : new String[] {"uid", "gid", "mode"}) {
                    if (ref.has(k)) {
                        throw new ComposeException("service \"" + name + "\": \"" + kind + "." + k + "\" is not supported by berth compose (file " + kind + " are bind-mounted as they are)");
                    }
                }
            }
        }
    }

    /**
     * The create request for replica {@code number}. {@code containerOf} answers the container id of a
     * service for {@code network_mode: service:NAME}.
     */
    static Plan plan(Project p, String service, int number, boolean oneoff, String hash, Function<String, String> containerOf) {
        return plan(p, service, number, oneoff, hash, null, containerOf);
    }

    /** As above, with the id of the image (Compose's {@code com.docker.compose.image} label holds it). */
    static Plan plan(Project p, String service, int number, boolean oneoff, String hash, String imageId,
                     Function<String, String> containerOf) {
        JsonNode s = p.service(service);
        checkSupported(service, s);
        ObjectNode body = F.objectNode();
        ObjectNode host = F.objectNode();
        String name = containerName(p, service, number, oneoff);

        body.put("Image", imageOf(p, service));
        if (s.has("command")) body.set("Cmd", words(s.get("command")));
        if (s.has("entrypoint")) body.set("Entrypoint", words(s.get("entrypoint")));
        ArrayNode env = F.arrayNode();
        s.path("environment").properties().forEach(e -> {
            if (!e.getValue().isNull()) env.add(e.getKey() + "=" + e.getValue().asText());
        });
        if (!env.isEmpty()) body.set("Env", env);
        text(s, "user", body, "User");
        text(s, "working_dir", body, "WorkingDir");
        text(s, "hostname", body, "Hostname");
        text(s, "domainname", body, "Domainname");
        text(s, "stop_signal", body, "StopSignal");
        if (s.has("stop_grace_period")) {
            body.put("StopTimeout", Units.durationNanos(s.get("stop_grace_period").asText(), "stop_grace_period") / 1_000_000_000L);
        }
        if (s.has("tty")) body.put("Tty", s.get("tty").asBoolean());
        if (s.has("stdin_open")) body.put("OpenStdin", s.get("stdin_open").asBoolean());
        if (s.has("healthcheck")) body.set("Healthcheck", healthcheck(s.get("healthcheck")));

        ObjectNode labels = body.putObject("Labels");
        s.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.NUMBER, String.valueOf(number));
        labels.put(Labels.ONEOFF, oneoff ? "True" : "False");
        labels.put(Labels.WORKING_DIR, p.workingDir().toString());
        labels.put(Labels.CONFIG_FILES, String.join(",", p.configFiles().stream().map(Object::toString).toList()));
        labels.put(Labels.CONFIG_HASH, hash);
        labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
        labels.put(Labels.DEPENDS_ON, dependsOnLabel(s));
        labels.put(Labels.IMAGE, imageId != null ? imageId : imageOf(p, service));

        // ports and expose
        ObjectNode exposed = F.objectNode();
        ObjectNode bindings = F.objectNode();
        for (JsonNode port : s.path("ports")) {
            String key = port.get("target").asText() + "/" + port.path("protocol").asText("tcp");
            exposed.putObject(key);
            ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
            list.addObject().put("HostIp", port.path("host_ip").asText("")).put("HostPort", port.path("published").asText(""));
        }
        for (JsonNode x : s.path("expose")) exposeEntry(x.asText()).forEach(exposed::putObject);
        if (!exposed.isEmpty()) body.set("ExposedPorts", exposed);
        if (!bindings.isEmpty()) host.set("PortBindings", bindings);

        mounts(p, s, host);
        if (s.has("tmpfs")) {
            ObjectNode tmpfs = host.putObject("Tmpfs");
            JsonNode t = s.get("tmpfs");
            for (JsonNode x : t.isArray() ? t : F.arrayNode().add(t)) {
                String spec = x.asText();
                int colon = spec.indexOf(':');
                tmpfs.put(colon < 0 ? spec : spec.substring(0, colon), colon < 0 ? "" : spec.substring(colon + 1));
            }
        }

        restart(s, host);
        bool(s, "init", host, "Init");
        bool(s, "read_only", host, "ReadonlyRootfs");
        bool(s, "privileged", host, "Privileged");
        list(s, "cap_add", host, "CapAdd");
        list(s, "cap_drop", host, "CapDrop");
        list(s, "dns", host, "Dns");
        list(s, "dns_search", host, "DnsSearch");
        list(s, "dns_opt", host, "DnsOptions");
        list(s, "security_opt", host, "SecurityOpt");
        list(s, "group_add", host, "GroupAdd");
        text(s, "ipc", host, "IpcMode");
        text(s, "pid", host, "PidMode");
        if (s.has("oom_score_adj")) host.put("OomScoreAdj", s.get("oom_score_adj").asInt());
        if (s.has("shm_size")) host.put("ShmSize", size(s.get("shm_size"), "shm_size"));
        resources(s, host);
        if (s.has("extra_hosts")) {
            // a host may map to several addresses (a list): one entry each, as Compose writes them
            ArrayNode hosts = host.putArray("ExtraHosts");
            s.get("extra_hosts").properties().forEach(e -> {
                JsonNode ips = e.getValue();
                for (JsonNode ip : ips.isArray() ? ips : F.arrayNode().add(ips)) hosts.add(e.getKey() + ":" + ip.asText());
            });
        }
        if (s.has("logging")) {
            ObjectNode log = host.putObject("LogConfig");
            log.put("Type", s.get("logging").path("driver").asText("json-file"));
            ObjectNode cfg = log.putObject("Config");
            s.get("logging").path("options").properties().forEach(e -> cfg.put(e.getKey(), e.getValue().asText()));
        }
        if (s.has("sysctls")) host.set("Sysctls", s.get("sysctls").deepCopy());
        if (s.has("ulimits")) {
            ArrayNode ul = host.putArray("Ulimits");
            s.get("ulimits").properties().forEach(e -> {
                JsonNode v = e.getValue();
                long soft = v.isObject() ? v.path("soft").asLong() : v.asLong();
                long hard = v.isObject() ? v.path("hard").asLong() : v.asLong();
                ul.addObject().put("Name", e.getKey()).put("Soft", soft).put("Hard", hard);
            });
        }
        if (s.has("devices")) {
            ArrayNode devices = host.putArray("Devices");
            for (JsonNode d : s.get("devices")) {
                if (d.isObject()) {  // the long syntax: source, target, permissions
                    String source = d.path("source").asText();
                    devices.addObject().put("PathOnHost", source).put("PathInContainer", d.path("target").asText(source))
                            .put("CgroupPermissions", d.path("permissions").asText("rwm"));
                    continue;
                }
                String[] parts = d.asText().split(":");
                devices.addObject().put("PathOnHost", parts[0]).put("PathInContainer", parts.length > 1 ? parts[1] : parts[0])
                        .put("CgroupPermissions", parts.length > 2 ? parts[2] : "rwm");
            }
        }

        List<Attachment> more = new ArrayList<>();
        networks(p, service, s, body, host, containerOf, more);
        body.set("HostConfig", host);
        return new Plan(name, body, more);
    }

    private static void networks(Project p, String service, JsonNode s, ObjectNode body, ObjectNode host,
                                 Function<String, String> containerOf, List<Attachment> more) {
        if (s.has("network_mode")) {
            String mode = s.get("network_mode").asText();
            if (mode.startsWith("service:")) {
                mode = "container:" + containerOf.apply(mode.substring(8));
            }
            host.put("NetworkMode", mode);
            return;
        }
        List<Attachment> all = new ArrayList<>();
        // Compose attaches by priority (highest first), then by name
        List<Map.Entry<String, JsonNode>> nets = new ArrayList<>();
        s.path("networks").properties().forEach(nets::add);
        nets.sort((a, b) -> {
            int pa = a.getValue().path("priority").asInt(0), pb = b.getValue().path("priority").asInt(0);
            return pa != pb ? Integer.compare(pb, pa) : a.getKey().compareTo(b.getKey());
        });
        for (Map.Entry<String, JsonNode> e : nets) {
            String netName = p.section("networks").path(e.getKey()).path("name").asText(p.name() + "_" + e.getKey());
            List<String> aliases = new ArrayList<>(List.of(service));
            for (JsonNode a : e.getValue().path("aliases")) aliases.add(a.asText());
            String ip = e.getValue().hasNonNull("ipv4_address") ? e.getValue().get("ipv4_address").asText() : null;
            for (String k : ProjectLoader.names(e.getValue() instanceof ObjectNode o ? o : F.objectNode())) {
                if (!Set.of("aliases", "ipv4_address", "priority").contains(k)) {
                    throw new ComposeException("service \"" + service + "\": \"networks." + e.getKey() + "." + k + "\" is not supported by berth compose (see docs/compose.md)");
                }
            }
            all.add(new Attachment(netName, aliases, ip));
        }
        if (all.isEmpty()) return;
        Attachment first = all.getFirst();
        host.put("NetworkMode", first.network());
        ObjectNode endpoints = body.putObject("NetworkingConfig").putObject("EndpointsConfig");
        endpoints.set(first.network(), endpoint(first));
        more.addAll(all.subList(1, all.size()));
    }

    static ObjectNode endpoint(Attachment a) {
        ObjectNode ep = F.objectNode();
        ArrayNode aliases = ep.putArray("Aliases");
        a.aliases().forEach(aliases::add);
        if (a.ipv4Address() != null) ep.putObject("IPAMConfig").put("IPv4Address", a.ipv4Address());
        return ep;
    }

    private static void mounts(Project p, JsonNode s, ObjectNode host) {
        ArrayNode binds = F.arrayNode();
        ArrayNode mounts = F.arrayNode();
        for (JsonNode v : s.path("volumes")) {
            String type = v.path("type").asText();
            boolean ro = v.path("read_only").asBoolean(false);
            String target = v.path("target").asText();
            switch (type) {
                case "bind" -> {
                    JsonNode bind = v.path("bind");
                    if (bind.has("selinux") || bind.path("create_host_path").asBoolean(false)) {
                        // Binds create a missing host directory, as Compose's short syntax does; a relabel (z, Z)
                        // exists only in the Binds syntax, so Compose sends such a bind there too
                        List<String> modes = new ArrayList<>();
                        if (ro) modes.add("ro");
                        if (bind.has("selinux")) modes.add(bind.get("selinux").asText());
                        if (bind.has("propagation")) modes.add(bind.get("propagation").asText());
                        binds.add(v.get("source").asText() + ":" + target + (modes.isEmpty() ? "" : ":" + String.join(",", modes)));
                    } else {
                        ObjectNode m = mounts.addObject().put("Type", "bind").put("Source", v.get("source").asText()).put("Target", target);
                        if (ro) m.put("ReadOnly", true);
                        if (v.path("bind").has("propagation")) m.putObject("BindOptions").put("Propagation", v.path("bind").get("propagation").asText());
                    }
                }
                case "volume" -> {
                    ObjectNode m = mounts.addObject().put("Type", "volume");
                    if (v.hasNonNull("source")) {
                        m.put("Source", p.section("volumes").path(v.get("source").asText()).path("name").asText());
                    }
                    m.put("Target", target);
                    if (ro) m.put("ReadOnly", true);
                    if (v.path("volume").path("nocopy").asBoolean(false)) m.putObject("VolumeOptions").put("NoCopy", true);
                    if (v.path("volume").has("subpath")) {
                        ObjectNode vo = m.has("VolumeOptions") ? (ObjectNode) m.get("VolumeOptions") : m.putObject("VolumeOptions");
                        vo.put("Subpath", v.path("volume").get("subpath").asText());
                    }
                }
                case "tmpfs" -> {
                    ObjectNode m = mounts.addObject().put("Type", "tmpfs").put("Target", target);
                    if (ro) m.put("ReadOnly", true);
                    JsonNode t = v.path("tmpfs");
                    if (t.has("size") || t.has("mode")) {
                        ObjectNode o = m.putObject("TmpfsOptions");
                        if (t.has("size")) o.put("SizeBytes", size(t.get("size"), "tmpfs.size"));
                        if (t.has("mode")) o.put("Mode", t.get("mode").asInt());
                    }
                }
                default -> throw new ComposeException("volume type \"" + type + "\" is not supported by berth compose");
            }
        }
        // file-based secrets and configs, bind-mounted read-only as Compose does without Swarm
        for (String kind : new String[] {"secrets", "configs"}) {
            for (JsonNode ref : s.path(kind)) {
                String source = ref.path("source").asText();
                JsonNode def = p.section(kind).path(source);
                if (!def.hasNonNull("file")) {
                    throw new ComposeException(kind + "." + source + ": only file-based " + kind + " are supported by berth compose"
                            + (def.has("environment") ? " (\"environment\" is not)" : def.has("content") ? " (\"content\" is not)" : ""));
                }
                String target = ref.hasNonNull("target") ? ref.get("target").asText() : source;
                if (!target.startsWith("/")) target = (kind.equals("secrets") ? "/run/secrets/" : "/") + target;
                mounts.addObject().put("Type", "bind").put("Source", def.get("file").asText()).put("Target", target).put("ReadOnly", true);
            }
        }
        if (!binds.isEmpty()) host.set("Binds", binds);
        if (!mounts.isEmpty()) host.set("Mounts", mounts);
    }

    private static void resources(JsonNode s, ObjectNode host) {
        JsonNode limits = s.path("deploy").path("resources").path("limits");
        JsonNode reservations = s.path("deploy").path("resources").path("reservations");
        JsonNode memory = s.has("mem_limit") ? s.get("mem_limit") : limits.get("memory");
        if (memory != null) host.put("Memory", size(memory, "mem_limit"));
        if (s.has("memswap_limit")) host.put("MemorySwap", s.get("memswap_limit").asText().equals("-1") ? -1 : size(s.get("memswap_limit"), "memswap_limit"));
        JsonNode reservation = s.has("mem_reservation") ? s.get("mem_reservation") : reservations.get("memory");
        if (reservation != null) host.put("MemoryReservation", size(reservation, "mem_reservation"));
        JsonNode cpus = s.has("cpus") ? s.get("cpus") : limits.get("cpus");
        if (cpus != null) {
            try {
                host.put("NanoCpus", Math.round(Double.parseDouble(cpus.asText()) * 1e9));
            } catch (NumberFormatException e) {
                throw new ComposeException("cpus: invalid value '" + cpus.asText() + "'");
            }
        }
        if (s.has("cpu_shares")) host.put("CpuShares", s.get("cpu_shares").asLong());
        JsonNode pids = s.has("pids_limit") ? s.get("pids_limit") : limits.get("pids");
        if (pids != null) host.put("PidsLimit", pids.asLong());
        text(s, "cpuset", host, "CpusetCpus");
        if (s.has("cpu_period")) host.put("CpuPeriod", s.get("cpu_period").asLong());
        if (s.has("cpu_quota")) host.put("CpuQuota", s.get("cpu_quota").asLong());
        if (s.has("cpu_rt_period")) host.put("CpuRealtimePeriod", micros(s.get("cpu_rt_period"), "cpu_rt_period"));
        if (s.has("cpu_rt_runtime")) host.put("CpuRealtimeRuntime", micros(s.get("cpu_rt_runtime"), "cpu_rt_runtime"));
        if (s.has("mem_swappiness")) host.put("MemorySwappiness", s.get("mem_swappiness").asLong());
        bool(s, "oom_kill_disable", host, "OomKillDisable");
        blkio(s.path("blkio_config"), host);
    }

    /** A number of microseconds, or a duration ("400ms"), as Compose takes the real-time CPU settings. */
    private static long micros(JsonNode v, String field) {
        if (v.isIntegralNumber()) return v.asLong();
        String text = v.asText();
        if (text.matches("\\d+")) return Long.parseLong(text);
        return Units.durationNanos(text, field) / 1000;
    }

    /** blkio_config: the weight and the per-device throttles (a bps rate may be a size, "12mb"); berthd checks each. */
    private static void blkio(JsonNode b, ObjectNode host) {
        if (b.isMissingNode() || b.isNull()) return;
        for (String k : ProjectLoader.names((ObjectNode) b)) {
            if (!Set.of("weight", "weight_device", "device_read_bps", "device_write_bps", "device_read_iops",
                    "device_write_iops").contains(k)) {
                throw new ComposeException("\"blkio_config." + k + "\" is not supported by berth compose (see docs/compose.md)");
            }
        }
        if (b.has("weight")) host.put("BlkioWeight", b.get("weight").asInt());
        if (b.has("weight_device")) {
            ArrayNode list = host.putArray("BlkioWeightDevice");
            b.get("weight_device").forEach(d -> list.addObject().put("Path", d.path("path").asText()).put("Weight", d.path("weight").asInt()));
        }
        String[][] throttles = {{"device_read_bps", "BlkioDeviceReadBps"}, {"device_write_bps", "BlkioDeviceWriteBps"},
                {"device_read_iops", "BlkioDeviceReadIOps"}, {"device_write_iops", "BlkioDeviceWriteIOps"}};
        for (String[] t : throttles) {
            if (!b.has(t[0])) continue;
            ArrayNode list = host.putArray(t[1]);
            for (JsonNode d : b.get(t[0])) {
                JsonNode rate = d.path("rate");
                long value = t[0].endsWith("bps") && !rate.isNumber() ? size(rate, "blkio_config." + t[0]) : rate.asLong();
                list.addObject().put("Path", d.path("path").asText()).put("Rate", value);
            }
        }
    }

    private static void restart(JsonNode s, ObjectNode host) {
        String policy = s.path("restart").asText("");
        if (policy.isEmpty() && s.path("deploy").has("restart_policy")) {
            JsonNode rp = s.path("deploy").path("restart_policy");
            policy = switch (rp.path("condition").asText("any")) {
                case "none" -> "no";
                case "on-failure" -> "on-failure" + (rp.has("max_attempts") ? ":" + rp.get("max_attempts").asInt() : "");
                default -> "always";
            };
            for (String k : ProjectLoader.names((ObjectNode) rp)) {
                if (!Set.of("condition", "max_attempts").contains(k)) {
                    throw new ComposeException("\"deploy.restart_policy." + k + "\" is not supported by berth compose (see docs/compose.md)");
                }
            }
        }
        if (policy.isEmpty()) return;
        ObjectNode rp = host.putObject("RestartPolicy");
        int colon = policy.indexOf(':');
        rp.put("Name", colon < 0 ? policy : policy.substring(0, colon));
        if (colon >= 0) rp.put("MaximumRetryCount", Integer.parseInt(policy.substring(colon + 1)));
    }

    static ObjectNode healthcheck(JsonNode h) {
        ObjectNode out = F.objectNode();
        if (h.path("disable").asBoolean(false)) {
            out.putArray("Test").add("NONE");
            return out;
        }
        if (h.has("test")) {
            JsonNode t = h.get("test");
            ArrayNode test = out.putArray("Test");
            if (t.isTextual()) {
                test.add("CMD-SHELL").add(t.asText());
            } else {
                t.forEach(x -> test.add(x.asText()));
            }
        }
        for (String[] d : new String[][] {{"interval", "Interval"}, {"timeout", "Timeout"}, {"start_period", "StartPeriod"},
                {"start_interval", "StartInterval"}}) {
            if (h.has(d[0])) out.put(d[1], Units.durationNanos(h.get(d[0]).asText(), "healthcheck." + d[0]));
        }
        if (h.has("retries")) out.put("Retries", h.get("retries").asInt());
        return out;
    }

    /** One {@code expose} entry ("3000", "3000/udp", "3000-3002") as ExposedPorts keys, a range expanded as Compose does. */
    static List<String> exposeEntry(String e) {
        int slash = e.indexOf('/');
        String ports = slash < 0 ? e : e.substring(0, slash);
        String proto = slash < 0 ? "tcp" : e.substring(slash + 1);
        int dash = ports.indexOf('-');
        try {
            int from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
            if (from < 1 || to > 65535 || to < from) throw new NumberFormatException();
            List<String> out = new ArrayList<>();
            for (int p = from; p <= to; p++) out.add(p + "/" + proto);
            return out;
        } catch (NumberFormatException ex) {
            throw new ComposeException("invalid expose entry '" + e + "': expected PORT[-PORT][/PROTOCOL]");
        }
    }

    /** {@code com.docker.compose.depends_on}: "svc:condition:restart" entries joined by commas, as Compose writes it. */
    static String dependsOnLabel(JsonNode s) {
        List<String> deps = new ArrayList<>();
        s.path("depends_on").properties().forEach(e -> deps.add(e.getKey() + ":" + e.getValue().path("condition").asText("service_started")
                + ":" + e.getValue().path("restart").asBoolean(false)));
        return String.join(",", deps);
    }

    private static ArrayNode words(JsonNode cmd) {
        ArrayNode out = F.arrayNode();
        if (cmd.isTextual()) {
            Units.shellWords(cmd.asText()).forEach(out::add);
        } else {
            cmd.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static long size(JsonNode v, String field) {
        return v.isNumber() ? v.asLong() : Units.bytes(v.asText(), field);
    }

    private static void text(JsonNode s, String key, ObjectNode out, String field) {
        if (s.hasNonNull(key)) out.put(field, s.get(key).asText());
    }

    private static void bool(JsonNode s, String key, ObjectNode out, String field) {
        if (s.has(key)) out.put(field, s.get(key).asBoolean());
    }

    private static void list(JsonNode s, String key, ObjectNode out, String field) {
        if (!s.has(key)) return;
        ArrayNode a = out.putArray(field);
        JsonNode v = s.get(key);
        for (JsonNode x : v.isArray() ? v : F.arrayNode().add(v)) a.add(x.asText());
    }
}
