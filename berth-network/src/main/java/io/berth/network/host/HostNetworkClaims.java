package io.berth.network.host;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.linux.AtomicFile;
import io.berth.linux.ErrnoException;
import io.berth.linux.Flock;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The subnets and bridge names every berthd on this host has taken, so that two daemons on different data roots
 * (tests and benchmarks run several beside the system's) never pick the same ones. A network's bridge, and so
 * its route, exists only while a container uses it, so looking at the host's routes alone would let a second
 * daemon choose a subnet the first has defined but not yet brought up.
 * <p>
 * One JSON list under /run/berth (per boot, like the bridges it describes), changed under a host-wide flock.
 * A claim lasts as long as its network; claims of a data root that no longer exists (a test's temporary root)
 * are dropped the next time anyone claims.
 */
public final class HostNetworkClaims {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Syscalls SYS = new Syscalls((operation, t) -> new SystemFailureException(operation + " call failed", t));

    /** One network's subnets and bridge, owned by the berthd on {@code dataRoot}. */
    public record Claim(String dataRoot, String networkId, List<String> subnets, String bridge) {
        public Claim {
            subnets = subnets == null ? List.of() : List.copyOf(subnets);
        }
    }

    /** What a chooser picked, given the other daemons' claims. */
    public record Choice(List<String> subnets, String bridge) {}

    private final Path file;
    private final Path lockFile;
    private final String dataRoot;

    /** @param dir the host-wide directory (/run/berth); @param dataRoot this daemon's data root */
    public HostNetworkClaims(Path dir, Path dataRoot) {
        this.file = dir.resolve("network-claims.json");
        this.lockFile = dir.resolve("network-claims.lock");
        this.dataRoot = dataRoot.toAbsolutePath().normalize().toString();
    }

    /**
     * Runs {@code chooser} with every other data root's claims while holding the host-wide lock, and records its
     * choice for {@code networkId} (replacing an earlier claim of that network).
     */
    public Choice claim(String networkId, Function<List<Claim>, Choice> chooser) {
        return locked(claims -> {
            List<Claim> others = claims.stream().filter(c -> !c.dataRoot().equals(dataRoot)).toList();
            Choice choice = chooser.apply(others);
            claims.removeIf(c -> c.dataRoot().equals(dataRoot) && c.networkId().equals(networkId));
            claims.add(new Claim(dataRoot, networkId, choice.subnets(), choice.bridge()));
            return choice;
        });
    }

    /** Records a network this daemon already has (at start: definitions made before claims existed, or after a reboot). */
    public void record(String networkId, List<String> subnets, String bridge) {
        claim(networkId, others -> new Choice(subnets, bridge));
    }

    public void release(String networkId) {
        locked(claims -> claims.removeIf(c -> c.dataRoot().equals(dataRoot) && c.networkId().equals(networkId)));
    }

    /** The other data roots' claims, as they are now. */
    public List<Claim> others() {
        return locked(claims -> claims.stream().filter(c -> !c.dataRoot().equals(dataRoot)).toList());
    }

    private <T> T locked(Function<List<Claim>, T> change) {
        try {
            Files.createDirectories(file.getParent());
            try (Flock ignored = Flock.exclusive(SYS, lockFile)) {
                List<Claim> claims = read();
                int before = claims.hashCode();
                claims.removeIf(c -> !Files.isDirectory(Path.of(c.dataRoot())));
                T result = change.apply(claims);
                if (claims.hashCode() != before || !Files.exists(file)) {
                    AtomicFile.writeUnsynced(file, JSON.writeValueAsBytes(claims), AtomicFile.OWNER_ONLY);
                }
                return result;
            }
        } catch (ErrnoException e) {
            throw new SystemFailureException("locking " + lockFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SystemFailureException("updating " + file + ": " + e.getMessage(), e);
        }
    }

    private List<Claim> read() throws IOException {
        if (!Files.exists(file)) return new ArrayList<>();
        try {
            return new ArrayList<>(JSON.readValue(file.toFile(), new TypeReference<List<Claim>>() {}));
        } catch (IOException e) {
            // a damaged file (it is never half-written: atomic rename) would block every network create; start over
            return new ArrayList<>();
        }
    }
}
