package io.berth.daemon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/**
 * Gives a group access to the API socket, as dockerd's {@code --group}: the socket is 0660 root:GROUP, so the
 * group's members can drive berthd (and through it, run anything as root). A group asked for by name or gid
 * must exist; the default one applies only where an administrator has created it.
 */
final class SocketGroup {
    private SocketGroup() {}

    /** The group now owning {@code socket}, or empty when it stays root's. */
    static Optional<String> apply(Path socket, String group, boolean explicit) throws IOException {
        if (group.isEmpty()) return Optional.empty();
        GroupPrincipal principal;
        try {
            principal = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            if (explicit) throw new StartRefusedException("group " + group + " for the socket " + socket + " does not exist");
            return Optional.empty();
        }
        Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(principal);
        return Optional.of(principal.getName());
    }
}
