package io.berth.daemon.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.SeccompSetting;

/**
 * A create request's {@code HostConfig.SecurityOpt}, as Docker's daemon reads it: {@code no-new-privileges[=BOOL]},
 * {@code seccomp=builtin|unconfined|PROFILE-JSON}, {@code apparmor=…}, {@code label=…}, {@code KEY=VALUE} (or the
 * old {@code KEY:VALUE}). Every option is applied or refused with a 400 naming it, never dropped:
 * <ul>
 *   <li>seccomp: the profile is checked here and applied at every start;</li>
 *   <li>apparmor and label: berth confines containers with no LSM profile, so only the options that ask for
 *       exactly that ({@code apparmor=unconfined}, {@code label=disable}) hold; any other is refused, saying
 *       whether the host lacks the LSM or berth does not apply its profiles;</li>
 *   <li>anything else (writable-cgroups, systempaths, a typo) is refused.</li>
 * </ul>
 */
record SecurityOptions(boolean noNewPrivileges, SeccompSetting seccomp) {

    /** The Linux security modules this host runs, which decide how an apparmor or label option is refused. */
    record HostLsm(boolean appArmor, boolean selinux) {
        static HostLsm detect() {
            return new HostLsm(Files.isDirectory(Path.of("/sys/kernel/security/apparmor")),
                    Files.isDirectory(Path.of("/sys/fs/selinux")) && Files.exists(Path.of("/sys/fs/selinux/enforce")));
        }
    }

    static SecurityOptions parse(List<String> options, HostLsm lsm) {
        boolean noNewPrivileges = false;
        SeccompSetting seccomp = SeccompSetting.BUILTIN;
        for (String opt : options) {
            if (opt.equals("no-new-privileges")) {
                noNewPrivileges = true;
                continue;
            }
            if (opt.equals("disable")) {   // the oldest spelling of label=disable
                label("disable", opt, lsm);
                continue;
            }
            int sep = opt.indexOf('=') >= 0 ? opt.indexOf('=') : opt.indexOf(':');
            if (sep <= 0) throw new InvalidArgumentException("invalid --security-opt: \"" + opt + "\"");
            String key = opt.substring(0, sep);
            String value = opt.substring(sep + 1);
            switch (key) {
                case "no-new-privileges" -> noNewPrivileges = goBool(value, opt);
                case "seccomp" -> seccomp = SeccompSetting.parse(value);
                case "apparmor" -> appArmor(value, opt, lsm);
                case "label" -> label(value, opt, lsm);
                default -> throw new InvalidArgumentException("invalid --security-opt: \"" + opt + "\": berth does not support \""
                        + key + "\"");
            }
        }
        return new SecurityOptions(noNewPrivileges, seccomp);
    }

    private static void appArmor(String value, String opt, HostLsm lsm) {
        if (value.equals("unconfined")) return;
        throw new InvalidArgumentException("invalid --security-opt: \"" + opt + "\": " + (lsm.appArmor()
                ? "berth does not apply AppArmor profiles" : "AppArmor is not enabled on this host"));
    }

    private static void label(String value, String opt, HostLsm lsm) {
        if (value.equals("disable")) return;
        throw new InvalidArgumentException("invalid --security-opt: \"" + opt + "\": " + (lsm.selinux()
                ? "berth does not apply SELinux labels" : "SELinux is not enabled on this host"));
    }

    /** Go's strconv.ParseBool, which Docker uses for boolean options. */
    private static boolean goBool(String value, String opt) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new InvalidArgumentException("invalid --security-opt: \"" + opt + "\": not a boolean");
        };
    }
}
