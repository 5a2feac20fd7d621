package io.berth.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * An IPv4 or IPv6 prefix ("172.18.0.0/16", "fd42::/64") and the address arithmetic on it. Addresses are handled
 * as unsigned integers (BigInteger: one implementation for both families), so "the n-th address", "contains" and
 * "overlaps" are comparisons, never string games. Only a prefix without host bits is a Subnet: "10.1.2.3/24" is
 * refused naming the prefix it should be, as Docker does.
 */
public record Subnet(boolean ipv6, BigInteger base, int prefix) {

    public Subnet {
        int bits = ipv6 ? 128 : 32;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix out of range: " + prefix);
        if (!base.and(hostMask(bits, prefix)).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("host bits set in " + base);
        }
    }

    /** Parses "ADDRESS/PREFIX"; a prefix with host bits set is refused naming the prefix it should be. */
    public static Subnet parse(String cidr) {
        return parse(cidr, true);
    }

    /** As {@link #parse}, host bits dropped ("10.1.2.3/24" is 10.1.2.0/24), as Go's net.ParseCIDR reads a CIDR. */
    public static Subnet parseLenient(String cidr) {
        return parse(cidr, false);
    }

    private static Subnet parse(String cidr, boolean strict) {
        if (cidr == null) throw new InvalidArgumentException("invalid CIDR address: null");
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new InvalidArgumentException("invalid CIDR address: " + cidr);
        BigInteger address;
        boolean v6;
        int prefix;
        try {
            InetAddress a = parseAddress(cidr.substring(0, slash));
            v6 = a.getAddress().length == 16;
            address = new BigInteger(1, a.getAddress());
            String p = cidr.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) throw new NumberFormatException();
            prefix = Integer.parseInt(p);
        } catch (InvalidArgumentException | NumberFormatException e) {
            throw new InvalidArgumentException("invalid CIDR address: " + cidr);
        }
        int bits = v6 ? 128 : 32;
        if (prefix > bits) throw new InvalidArgumentException("invalid CIDR address: " + cidr);
        BigInteger network = address.andNot(hostMask(bits, prefix));
        if (strict && !network.equals(address)) {
            Subnet should = new Subnet(v6, network, prefix);
            throw new InvalidArgumentException("invalid subnet " + cidr + ": it should be " + should);
        }
        return new Subnet(v6, network, prefix);
    }

    /**
     * A literal IPv4 or IPv6 address, never a host name: InetAddress.getByName on anything else would ask DNS.
     * IPv4 must be dotted quad, IPv6 must contain ':'.
     */
    public static InetAddress parseAddress(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) throw new InvalidArgumentException("invalid IP address: " + text);
        boolean v4 = text.matches("(\\d{1,3})(\\.\\d{1,3}){3}");
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+");
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) throw new InvalidArgumentException("invalid IP address: " + text);
            }
        }
        if (!v4 && !v6) throw new InvalidArgumentException("invalid IP address: " + text);
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new InvalidArgumentException("invalid IP address: " + text);
        }
    }

    /** An address as an unsigned integer, with its family. */
    public static BigInteger toInteger(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    public int bits() {
        return ipv6 ? 128 : 32;
    }

    /** The number of addresses in the prefix. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - prefix);
    }

    /** The last address of the prefix (IPv4's broadcast address). */
    public BigInteger last() {
        return base.add(size()).subtract(BigInteger.ONE);
    }

    public boolean contains(InetAddress a) {
        boolean v6 = a.getAddress().length == 16;
        return v6 == ipv6 && contains(toInteger(a));
    }

    public boolean contains(BigInteger a) {
        return a.compareTo(base) >= 0 && a.compareTo(last()) <= 0;
    }

    /** Whether {@code other} lies wholly inside this prefix. */
    public boolean contains(Subnet other) {
        return other.ipv6 == ipv6 && other.prefix >= prefix && contains(other.base);
    }

    /** Two prefixes of one family overlap exactly when one contains the other. */
    public boolean overlaps(Subnet other) {
        return other.ipv6 == ipv6 && (contains(other.base) || other.contains(base));
    }

    /** The address at {@code offset} from the base (offset 1 is Docker's default gateway). */
    public InetAddress address(BigInteger value) {
        return toAddress(ipv6, value);
    }

    public InetAddress gatewayDefault() {
        return address(base.add(BigInteger.ONE));
    }

    public static InetAddress toAddress(boolean ipv6, BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[ipv6 ? 16 : 4];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong length, which cannot happen here
        }
    }

    /** Docker's text for an address: dotted quad, or IPv6 compressed ("fd00::1"). */
    public static String format(InetAddress a) {
        if (a.getAddress().length == 4) return a.getHostAddress();
        return compress(a.getAddress());
    }

    @Override
    public String toString() {
        return format(address(base)) + "/" + prefix;
    }

    private static BigInteger hostMask(int bits, int prefix) {
        return BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    }

    /** RFC 5952 text: lowercase, the longest run (of two or more) of zero groups as "::". */
    private static String compress(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
