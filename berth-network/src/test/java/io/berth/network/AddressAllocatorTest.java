package io.berth.network;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;

class AddressAllocatorTest {
    @TempDir Path dir;

    static Network net(String subnet, String range, String gateway) {
        return new Network("n1", "a".repeat(64), "2026-01-01T00:00:00Z", "bridge", false,
                List.of(new IpamConfig(subnet, range, gateway)), false, false, Map.of(), Map.of(), "berth1", true);
    }

    @Test
    void handsOutAddressesInOrderSkippingNetworkAndGateway() {
        var a = new AddressAllocator(dir);
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        assertEquals("10.5.0.2", a.allocate(n, "c1", null, null).ipv4());
        assertEquals("10.5.0.3", a.allocate(n, "c2", null, null).ipv4());
        assertEquals("10.5.0.2", a.allocate(n, "c1", null, null).ipv4(), "an owner keeps its lease");
    }

    @Test
    void aTopLeaseTakesTheHighestFreeAddressAndLeavesContainersTheirOrder() {
        var a = new AddressAllocator(dir);
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        assertEquals("10.5.0.254", a.allocateTop(n, "warm").ipv4(), "below the broadcast address");
        assertEquals("10.5.0.254", a.allocateTop(n, "warm").ipv4(), "an owner keeps its lease");
        assertEquals("10.5.0.2", a.allocate(n, "c1", null, null).ipv4(), "the first container's address is Docker's");
        assertEquals("10.5.0.253", a.allocateTop(n, "warm2").ipv4());
        Network gatewayOnTop = net("10.6.0.0/24", null, "10.6.0.254");
        assertEquals("10.6.0.253", new AddressAllocator(dir.resolve("other")).allocateTop(gatewayOnTop, "warm").ipv4());
        a.release(n.id(), "warm");
        assertEquals("10.5.0.3", a.allocate(n, "c2", null, null).ipv4(), "the pool order is not moved by top leases");
    }

    @Test
    void aTransferredLeaseChangesOwnerDurablyAndIsNeverFreeInBetween() {
        var a = new AddressAllocator(dir);
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        assertEquals("10.5.0.2", a.allocate(n, "prewired", null, null).ipv4());
        a.transfer(n.id(), "prewired", "c1");
        assertTrue(a.lease(n.id(), "prewired").isEmpty());
        assertEquals("10.5.0.2", new AddressAllocator(dir).lease(n.id(), "c1").orElseThrow().ipv4(), "written to disk");
        assertEquals("10.5.0.3", a.allocate(n, "c2", null, null).ipv4(), "the address stayed taken");
        a.transfer(n.id(), "nobody", "c3");
        assertTrue(a.lease(n.id(), "c3").isEmpty(), "nothing held, nothing handed");
        assertThrows(ConflictException.class, () -> a.transfer(n.id(), "c1", "c2"), "the new owner must hold nothing");
        assertEquals("10.5.0.2", a.lease(n.id(), "c1").orElseThrow().ipv4());
    }

    @Test
    void releasedAddressIsNotReusedAtOnce() {
        var a = new AddressAllocator(dir);
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        a.allocate(n, "c1", null, null);
        a.release(n.id(), "c1");
        assertEquals("10.5.0.3", a.allocate(n, "c2", null, null).ipv4());
    }

    @Test
    void exhaustionIsDockersError() {
        var a = new AddressAllocator(dir);
        Network n = net("10.5.0.0/30", null, "10.5.0.1");
        assertEquals("10.5.0.2", a.allocate(n, "c1", null, null).ipv4());
        var e = assertThrows(ConflictException.class, () -> a.allocate(n, "c2", null, null));
        assertEquals("no available IPv4 addresses on this network's address pools: n1 (" + n.id() + ")", e.getMessage());
        a.release(n.id(), "c1");
        assertEquals("10.5.0.2", a.allocate(n, "c2", null, null).ipv4(), "wraps round to the freed address");
    }

    @Test
    void ipRangeBoundsDynamicAddressesButNotRequestedOnes() {
        var a = new AddressAllocator(dir);
        Network n = net("10.6.0.0/16", "10.6.5.0/24", "10.6.0.1");
        assertEquals("10.6.5.0", a.allocate(n, "c1", null, null).ipv4());
        assertEquals("10.6.9.9", a.allocate(n, "c2", "10.6.9.9", null).ipv4());
    }

    @Test
    void requestedAddressChecks() {
        var a = new AddressAllocator(dir);
        Network n = net("10.7.0.0/24", null, "10.7.0.1");
        a.allocate(n, "c1", "10.7.0.50", null);
        assertEquals("Address already in use", assertThrows(ConflictException.class, () -> a.allocate(n, "c2", "10.7.0.50", null)).getMessage());
        assertThrows(ConflictException.class, () -> a.allocate(n, "c2", "10.7.0.1", null), "the gateway");
        assertThrows(InvalidArgumentException.class, () -> a.allocate(n, "c2", "10.7.0.0", null), "network address");
        assertThrows(InvalidArgumentException.class, () -> a.allocate(n, "c2", "10.7.0.255", null), "broadcast");
        assertThrows(InvalidArgumentException.class, () -> a.allocate(n, "c2", "10.8.0.5", null), "outside");
        assertThrows(InvalidArgumentException.class, () -> a.allocate(n, "c2", null, "fd00::5"), "no IPv6 on this network");
    }

    @Test
    void ipv6WhenEnabled() {
        var a = new AddressAllocator(dir);
        Network n = new Network("n6", "b".repeat(64), "t", "bridge", true,
                List.of(new IpamConfig("10.9.0.0/24", null, "10.9.0.1"), new IpamConfig("fd42::/64", null, "fd42::1")),
                false, false, Map.of(), Map.of(), "berth2", true);
        Lease l = a.allocate(n, "c1", null, null);
        assertEquals("10.9.0.2", l.ipv4());
        assertEquals("fd42::2", l.ipv6());
    }

    @Test
    void leasesSurviveANewAllocatorAndAreOwnerOnly() throws Exception {
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        new AddressAllocator(dir).allocate(n, "c1", null, null);
        var again = new AddressAllocator(dir);
        assertEquals("10.5.0.2", again.lease(n.id(), "c1").orElseThrow().ipv4());
        assertEquals("10.5.0.3", again.allocate(n, "c2", null, null).ipv4());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(n.id() + ".json"))));
    }

    @Test
    void reconcileDropsLeasesOfVanishedOwners() {
        Network n = net("10.5.0.0/24", null, "10.5.0.1");
        var a = new AddressAllocator(dir);
        a.allocate(n, "alive", null, null);
        a.allocate(n, "gone", null, null);
        assertEquals(1, new AddressAllocator(dir).reconcile(Set.of("alive")));
        var b = new AddressAllocator(dir);
        assertEquals(Set.of("alive"), b.leases(n.id()).keySet());
    }
}
