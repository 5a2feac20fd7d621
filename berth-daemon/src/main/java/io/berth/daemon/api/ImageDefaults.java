package io.berth.daemon.api;

import java.util.List;
import java.util.Map;

/** What a container inherits from its image's config when the create request leaves it out. */
public record ImageDefaults(String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                            String workingDir, String user, String stopSignal, Map<String, String> labels) {}
