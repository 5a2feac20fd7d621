package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A socket the user may not open is reported as such, not as a daemon that is down. */
class ConnectFailureTest {
    private static final DockerHost HOST = new DockerHost.Unix(Path.of("/run/berth/berth.sock"));

    @Test
    void permissionDeniedIsSaidAsDockerSaysIt() {
        assertThat(UnixHttpClient.connectFailure(HOST, new SocketException("Permission denied")).getMessage())
                .isEqualTo("permission denied while trying to connect to the berth daemon socket at "
                        + "unix:///run/berth/berth.sock: connect: Permission denied");
    }

    @Test
    void anAbsentDaemonIsStillAskedAbout() {
        assertThat(UnixHttpClient.connectFailure(HOST, new IOException("Connection refused")).getMessage())
                .isEqualTo("Cannot connect to the berth daemon at unix:///run/berth/berth.sock. Is the daemon running?");
    }
}
