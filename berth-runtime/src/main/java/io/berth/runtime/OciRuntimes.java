package io.berth.runtime;

/** The OCI runtime CLI a container runs under, each runtime with its own state root below the run root. */
final class OciRuntimes {
    private final RuntimeSettings settings;

    OciRuntimes(RuntimeSettings settings) {
        this.settings = settings;
    }

    OciRuntimeCli of(Container c) {
        return new OciRuntimeCli(settings.runtimePath(c.runtime()), settings.runRoot().resolve(c.runtime()));
    }
}
