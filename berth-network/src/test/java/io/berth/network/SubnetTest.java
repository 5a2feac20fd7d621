package io.berth.network;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class SubnetTest {
    @Test
    void parsesAndFormatsBothFamilies() {
        assertEquals("172.18.0.0/16", Subnet.parse("172.18.0.0/16").toString());
        assertEquals("fd42:b3e7:7a00::/64", Subnet.parse("fd42:b3e7:7a00:0::/64").toString());
        assertEquals("172.18.0.1", Subnet.format(Subnet.parse("172.18.0.0/16").gatewayDefault()));
        assertEquals("fd00::1", Subnet.format(Subnet.parse("fd00::/64").gatewayDefault()));
    }

    @Test
    void refusesHostBitsNamingThePrefix() {
        var e = assertThrows(InvalidArgumentException.class, () -> Subnet.parse("10.1.2.3/24"));
        assertEquals("invalid subnet 10.1.2.3/24: it should be 10.1.2.0/24", e.getMessage());
    }

    @Test
    void refusesNamesAndGarbage() {
        for (String bad : new String[] {"localhost/24", "10.0.0.0", "10.0.0.0/33", "10.0.0.256/24", "10.0.0.0/-1", "/8", "::/129"}) {
            assertThrows(InvalidArgumentException.class, () -> Subnet.parse(bad), bad);
        }
        assertThrows(InvalidArgumentException.class, () -> Subnet.parseAddress("example.com"));
    }

    @Test
    void overlapIsContainmentEitherWay() {
        Subnet a = Subnet.parse("172.16.0.0/12");
        Subnet b = Subnet.parse("172.18.0.0/16");
        assertTrue(a.overlaps(b));
        assertTrue(b.overlaps(a));
        assertFalse(b.overlaps(Subnet.parse("172.19.0.0/16")));
        assertFalse(b.overlaps(Subnet.parse("fd00::/8")));
        assertTrue(a.contains(b));
        assertFalse(b.contains(a));
    }
}
