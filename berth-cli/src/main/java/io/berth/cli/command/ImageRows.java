package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Humanize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows for {@code images}: one per repository tag (untagged images as {@code <none>}), with docker's fields. */
public final class ImageRows {

    public static final String DEFAULT_FORMAT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final String DIGESTS_FORMAT = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final Map<String, String> HEADERS = Map.of("Repository", "REPOSITORY", "Tag", "TAG", "Digest", "DIGEST",
            "ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT", "Size", "SIZE",
            "Containers", "CONTAINERS", "SharedSize", "SHARED SIZE", "UniqueSize", "UNIQUE SIZE");

    private ImageRows() {}

    public static List<Map<String, Object>> rows(JsonNode image, boolean trunc, Instant now) {
        List<String[]> refs = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        image.path("RepoDigests").forEach(d -> digests.add(d.asText()));
        for (JsonNode t : image.path("RepoTags")) {
            String tag = t.asText();
            if (tag.equals("<none>:<none>")) {
                continue;
            }
            ImageRef ref = ImageRef.parse(tag);
            refs.add(new String[] {ref.repository(), ref.tagOrLatest(), digestFor(ref.repository(), digests)});
        }
        if (refs.isEmpty()) {
            if (digests.isEmpty() || digests.getFirst().startsWith("<none>")) {
                refs.add(new String[] {"<none>", "<none>", "<none>"});
            } else {
                for (String d : digests) {
                    ImageRef ref = ImageRef.parse(d);
                    refs.add(new String[] {ref.repository(), "<none>", ref.digest() == null ? "<none>" : ref.digest()});
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String[] r : refs) {
            Map<String, Object> row = new LinkedHashMap<>();
            String id = image.path("Id").asText();
            row.put("ID", trunc ? Humanize.shortId(id) : id);
            row.put("Repository", r[0]);
            row.put("Tag", r[1]);
            row.put("Digest", r[2]);
            Instant created = Instant.ofEpochSecond(image.path("Created").asLong());
            row.put("CreatedSince", Humanize.duration(Duration.between(created, now)) + " ago");
            row.put("CreatedAt", ContainerRows.GO_TIME.format(created.atZone(ZoneId.systemDefault())));
            row.put("Size", Humanize.size(image.path("Size").asDouble(), 3));
            long containers = image.path("Containers").asLong(-1);
            row.put("Containers", containers < 0 ? "N/A" : Long.toString(containers));
            long shared = image.path("SharedSize").asLong(-1);
            row.put("SharedSize", shared < 0 ? "N/A" : Humanize.size(shared, 3));
            row.put("UniqueSize", shared < 0 ? "N/A" : Humanize.size(image.path("Size").asDouble() - shared, 3));
            rows.add(row);
        }
        return rows;
    }

    private static String digestFor(String repository, List<String> digests) {
        for (String d : digests) {
            int at = d.indexOf('@');
            if (at > 0 && d.substring(0, at).equals(repository)) {
                return d.substring(at + 1);
            }
        }
        return "<none>";
    }
}
