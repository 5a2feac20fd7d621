package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** GET /version names the machine's architecture as Go does, whatever the machine. */
@ResourceLock("os.arch")
class SystemRoutesVersionTest {

    private static Object archOn(String javaArch) {
        String saved = System.getProperty("os.arch");
        try {
            System.setProperty("os.arch", javaArch);
            return new EngineDescription(new SystemRoutes.DaemonFacts("id", java.nio.file.Path.of("/nonexistent"), "crun",
                    java.util.Map.of(), java.nio.file.Path.of("/nonexistent/conmon"), java.nio.file.Path.of("/nonexistent/init"),
                    java.util.List.of()), HostProbe.system()).version().get("Arch");
        } finally {
            System.setProperty("os.arch", saved);
        }
    }

    @Test
    void archIsTheRealOneInGoNames() {
        assertThat(archOn("amd64")).isEqualTo("amd64");
        assertThat(archOn("aarch64")).isEqualTo("arm64");
    }
}
