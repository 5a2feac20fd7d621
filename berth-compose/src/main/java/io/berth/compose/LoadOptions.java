package io.berth.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What selects and shapes a project: the working directory, {@code -f} files, {@code -p},
 * {@code --project-directory}, {@code --env-file}s, {@code --profile}s, the services named on the
 * command line (they enable their own profiles, as in Compose) and the process environment.
 */
public record LoadOptions(Path workingDir, List<String> files, String projectName, String projectDirectory,
                          List<String> envFiles, List<String> profiles, List<String> selectedServices,
                          Map<String, String> environment) {

    public static LoadOptions of(Path workingDir, Map<String, String> environment) {
        return new LoadOptions(workingDir, List.of(), null, null, List.of(), List.of(), List.of(), environment);
    }

    public LoadOptions withFiles(String... f) {
        return new LoadOptions(workingDir, List.of(f), projectName, projectDirectory, envFiles, profiles, selectedServices, environment);
    }

    public LoadOptions withProjectName(String name) {
        return new LoadOptions(workingDir, files, name, projectDirectory, envFiles, profiles, selectedServices, environment);
    }

    public LoadOptions withProfiles(String... p) {
        return new LoadOptions(workingDir, files, projectName, projectDirectory, envFiles, List.of(p), selectedServices, environment);
    }

    public LoadOptions withEnvFiles(String... e) {
        return new LoadOptions(workingDir, files, projectName, projectDirectory, List.of(e), profiles, selectedServices, environment);
    }

    public LoadOptions withSelectedServices(List<String> s) {
        return new LoadOptions(workingDir, files, projectName, projectDirectory, envFiles, profiles, s, environment);
    }
}
