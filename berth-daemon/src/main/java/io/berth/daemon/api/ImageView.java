package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.oci.ContainerConfig;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.store.ImageRecord;

/** Renders an ImageRecord as Docker's ImageSummary, ImageInspect and history rows. */
public final class ImageView {
    private ImageView() {}

    public static Map<String, Object> summary(ImageRecord r, int containers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id().toString());
        m.put("ParentId", "");
        m.put("RepoTags", r.repoTags());
        m.put("RepoDigests", r.repoDigests());
        m.put("Created", r.created().getEpochSecond());
        m.put("Size", r.size());
        m.put("SharedSize", -1);
        m.put("VirtualSize", r.size());
        ContainerConfig c = r.config().config();
        m.put("Labels", c == null || c.labels() == null ? Map.of() : c.labels());
        m.put("Containers", containers);
        return m;
    }

    public static Map<String, Object> inspect(ImageRecord r, List<String> layerDiffIds) {
        ImageConfig cfg = r.config();
        ContainerConfig c = cfg.config() == null ? ContainerConfig.empty() : cfg.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id().toString());
        m.put("RepoTags", r.repoTags());
        m.put("RepoDigests", r.repoDigests());
        m.put("Parent", "");
        m.put("Comment", lastComment(cfg));
        m.put("Created", r.created().toString());
        m.put("DockerVersion", "");
        m.put("Author", cfg.author() == null ? "" : cfg.author());
        m.put("Config", containerConfig(c));
        m.put("Architecture", cfg.architecture() == null ? "amd64" : cfg.architecture());
        m.put("Os", cfg.os() == null ? "linux" : cfg.os());
        m.put("Size", r.size());
        m.put("VirtualSize", r.size());
        m.put("GraphDriver", Map.of("Name", "overlay2", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", layerDiffIds));
        m.put("Metadata", Map.of("LastTagTime", DockerTime.ZERO));
        return m;
    }

    private static Map<String, Object> containerConfig(ContainerConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", "");
        m.put("Domainname", "");
        m.put("User", c.user() == null ? "" : c.user());
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        m.put("ExposedPorts", c.exposedPorts());
        m.put("Tty", false);
        m.put("OpenStdin", false);
        m.put("StdinOnce", false);
        m.put("Env", c.env());
        m.put("Cmd", c.cmd());
        m.put("Image", "");
        m.put("Volumes", c.volumes());
        m.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        m.put("Entrypoint", c.entrypoint());
        m.put("OnBuild", c.onBuild());
        m.put("Labels", c.labels());
        if (c.stopSignal() != null) m.put("StopSignal", c.stopSignal());
        if (c.shell() != null) m.put("Shell", c.shell());
        if (c.healthcheck() != null) m.put("Healthcheck", c.healthcheck());
        return m;
    }

    /** Docker's history: newest first; the newest row carries the image id and tags, layer rows their size. */
    public static List<Map<String, Object>> history(ImageRecord r, List<Long> layerSizes) {
        List<HistoryEntry> entries = r.config().history() == null ? List.of() : r.config().history();
        List<Map<String, Object>> rows = new ArrayList<>();
        int layer = 0;
        for (HistoryEntry h : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("Id", "<missing>");
            row.put("Created", epochSeconds(h.created()));
            row.put("CreatedBy", h.createdBy() == null ? "" : h.createdBy());
            row.put("Tags", null);
            row.put("Size", h.addsLayer() && layer < layerSizes.size() ? layerSizes.get(layer) : 0L);
            row.put("Comment", h.comment() == null ? "" : h.comment());
            if (h.addsLayer()) layer++;
            rows.add(row);
        }
        if (rows.isEmpty()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("Created", r.created().getEpochSecond());
            row.put("CreatedBy", "");
            row.put("Size", r.size());
            row.put("Comment", "");
            rows.add(row);
        }
        java.util.Collections.reverse(rows);
        rows.getFirst().put("Id", r.id().toString());
        rows.getFirst().put("Tags", r.repoTags().isEmpty() ? null : r.repoTags());
        return rows;
    }

    private static long epochSeconds(String rfc3339) {
        try {
            return rfc3339 == null ? 0 : java.time.OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0; // some tools write odd timestamps; history still renders
        }
    }

    private static String lastComment(ImageConfig cfg) {
        if (cfg.history() == null || cfg.history().isEmpty()) return "";
        String c = cfg.history().getLast().comment();
        return c == null ? "" : c;
    }
}
