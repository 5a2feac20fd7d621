package io.berth.registry.client;

import io.berth.oci.ImageReference;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Tag("timing")
class PullTimingHarness {
    @Test
    void timeBigPull() throws Exception {
        assumeTrue(System.getenv("BERTH_TIMING") != null);
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "pulltiming");
        try (DistributionRegistry registry = DistributionRegistry.start(Files.createDirectories(tmp.resolve("reg")), null)) {
            StoreServices source = StoreServices.open(tmp.resolve("source"));
            ImageRecord image = TestImages.imported(source, TestImages.randomTar("big.bin", 200 << 20, 7), "big:1");
            ImageReference target = ImageReference.parse(registry.domain() + "/timing/big:1");
            RegistryClientConfig config = RegistryClientConfig.defaults()
                    .withCredentials(new CredentialStore(tmp.resolve("docker/config.json")));
            try (RegistryClient client = new RegistryClient(config, source)) {
                client.push(target, image.id(), null, e -> { });
            }
            for (boolean unpack : new boolean[] {false, true}) {
                for (int i = 0; i < 5; i++) {
                    StoreServices fresh = StoreServices.open(tmp.resolve("fresh-" + unpack + i));
                    long t0 = System.nanoTime();
                    try (RegistryClient client = new RegistryClient(config.withUnpackOnPull(unpack), fresh)) {
                        client.pull(target, null, e -> { });
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("TIMING unpack=" + unpack + " run=" + i + " ms=" + ms);
                }
            }
        } finally {
            new ProcessBuilder("rm", "-rf", tmp.toString()).inheritIO().start().waitFor();
        }
    }
}
