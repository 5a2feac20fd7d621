package io.berth.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * One rule of the devices cgroup in the kernel's own words ({@code --device-cgroup-rule 'c 1:3 rwm'}): the type
 * (a all, c char, b block), major and minor numbers or {@code *} for any, and the access (r, w, m).
 *
 * @param major null for any
 * @param minor null for any
 */
public record DeviceCgroupRule(String type, Long major, Long minor, String access) {
    private static final Pattern RULE = Pattern.compile("([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})");

    /** Docker's rule syntax and messages. */
    public static DeviceCgroupRule parse(String rule) {
        Matcher m = RULE.matcher(rule == null ? "" : rule);
        if (!m.matches()) throw new InvalidArgumentException("invalid device cgroup rule format: '" + rule + "'");
        return new DeviceCgroupRule(m.group(1), number(m.group(2), "major", rule), number(m.group(3), "minor", rule), m.group(4));
    }

    private static Long number(String s, String which, String rule) {
        if (s.equals("*")) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid " + which + " value in device cgroup rule format: '" + rule + "'");
        }
    }
}
