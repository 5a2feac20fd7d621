package io.berth.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.linux.LinuxArch;

import java.util.ArrayList;
import java.util.List;

/**
 * berth's default seccomp filter: allow by default, answer EPERM to the syscalls that let a container reach
 * the kernel or the host (modules, kexec, bpf, keyrings, handle-based opens, clock and swap control, reboot,
 * io_uring — whose operations bypass seccomp entirely, so Docker 25+ blocks it too),
 * and to mount-family calls unless the container holds CAP_SYS_ADMIN, tracing-family calls unless it holds
 * CAP_SYS_PTRACE. Privileged containers get no filter at all.
 */
final class SeccompProfile {
    private static final List<String> ALWAYS_DENIED = List.of(
            "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "open_by_handle_at",
            "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "swapon", "swapoff", "reboot",
            "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "acct", "lookup_dcookie", "quotactl",
            "iopl", "ioperm", "uselib", "userfaultfd", "create_module", "get_kernel_syms", "query_module",
            "nfsservctl", "syslog", "io_uring_setup", "io_uring_enter", "io_uring_register");
    private static final List<String> NEED_SYS_ADMIN = List.of(
            "mount", "umount2", "pivot_root", "name_to_handle_at", "setns", "unshare", "fsopen", "fsconfig", "fsmount",
            "fspick", "move_mount", "open_tree", "mount_setattr", "sethostname", "setdomainname");
    private static final List<String> NEED_SYS_PTRACE = List.of("process_vm_readv", "process_vm_writev", "kcmp");
    private static final int EPERM = 1;

    private SeccompProfile() {}

    static ObjectNode build(List<String> capabilities, LinuxArch arch) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("defaultAction", "SCMP_ACT_ALLOW");
        ArrayNode arches = root.putArray("architectures");
        DockerSeccompProfile.seccompArches(arch).forEach(arches::add);
        List<String> denied = new ArrayList<>(ALWAYS_DENIED);
        if (!capabilities.contains("CAP_SYS_ADMIN")) denied.addAll(NEED_SYS_ADMIN);
        if (!capabilities.contains("CAP_SYS_PTRACE")) denied.addAll(NEED_SYS_PTRACE);
        if (capabilities.contains("CAP_SYS_TIME")) {
            denied.removeAll(List.of("settimeofday", "clock_settime", "clock_adjtime", "adjtimex"));
        }
        if (capabilities.contains("CAP_SYS_MODULE")) {
            denied.removeAll(List.of("init_module", "finit_module", "delete_module"));
        }
        ObjectNode rule = root.putArray("syscalls").addObject();
        ArrayNode names = rule.putArray("names");
        denied.forEach(names::add);
        rule.put("action", "SCMP_ACT_ERRNO");
        rule.put("errnoRet", EPERM);
        return root;
    }
}
