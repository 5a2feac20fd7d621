package io.berth.network.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HostNetworkClaimsTest {
    @TempDir
    Path tmp;

    @Test
    void aDaemonSeesTheOtherDaemonsClaimsButNotItsOwn() throws IOException {
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        HostNetworkClaims a = new HostNetworkClaims(tmp.resolve("run"), rootA);
        HostNetworkClaims b = new HostNetworkClaims(tmp.resolve("run"), rootB);
        a.claim("n1", others -> new HostNetworkClaims.Choice(List.of("172.17.0.0/16"), "berth0"));
        List<HostNetworkClaims.Claim> seen = new ArrayList<>();
        b.claim("n2", others -> {
            seen.addAll(others);
            return new HostNetworkClaims.Choice(List.of("172.18.0.0/16"), "berth1");
        });
        assertThat(seen).extracting(HostNetworkClaims.Claim::bridge).containsExactly("berth0");
        assertThat(a.others()).extracting(HostNetworkClaims.Claim::subnets).containsExactly(List.of("172.18.0.0/16"));
        b.release("n2");
        assertThat(a.others()).isEmpty();
    }

    @Test
    void claimsOfADataRootThatIsGoneAreDropped() throws IOException {
        Path gone = Files.createDirectories(tmp.resolve("gone"));
        new HostNetworkClaims(tmp.resolve("run"), gone).record("n1", List.of("10.0.0.0/24"), "berth3");
        HostNetworkClaims mine = new HostNetworkClaims(tmp.resolve("run"), Files.createDirectories(tmp.resolve("mine")));
        assertThat(mine.others()).hasSize(1);
        Files.delete(gone);
        assertThat(mine.others()).isEmpty();
    }

    @Test
    void concurrentClaimsNeverPickTheSameSubnet() throws Exception {
        Set<String> picked = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                Path root = Files.createDirectories(tmp.resolve("root" + i));
                pool.submit(() -> new HostNetworkClaims(tmp.resolve("run"), root).claim("n", others -> {
                    int n = 0;
                    while (true) {
                        String s = "10.9." + n + ".0/24";
                        if (others.stream().noneMatch(c -> c.subnets().contains(s))) {
                            picked.add(s);
                            return new HostNetworkClaims.Choice(List.of(s), "b" + n);
                        }
                        n++;
                    }
                }));
            }
        }
        assertThat(picked).hasSize(16);
    }
}
