package io.berth.daemon.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.berth.oci.errors.ConflictException;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

/**
 * The rules of image removal, untagging and pruning (Docker's image delete), and the one lock that keeps them
 * from racing container creation. A create resolves its image and registers its container while holding the
 * read side ({@link #withImage}); rmi and prune hold the write side. So a removal either runs first (the create
 * then fails cleanly with "No such image") or after the container exists (the removal sees it and answers 409
 * or only untags): never a container whose image, and so whose overlay lower layers, are gone.
 *
 * <p>Unlike Docker, berth keeps an image that any container uses, stopped ones included: their overlay mounts
 * stack the image's snapshots, which deleting the image would remove. A forced removal of such an image
 * therefore untags it and leaves it dangling until its last container is gone.
 */
public final class ImageService {
    /** What a create does with its image while the image cannot be removed. */
    @FunctionalInterface
    public interface ImageUse<T> {
        T apply(ImageRecord image) throws Exception;
    }

    /** Where untag and delete events go (the daemon's event bus). */
    @FunctionalInterface
    public interface ImageEvents {
        void publish(String action, String imageId, Map<String, String> attributes);
    }

    /** Collects content no image references any more, after a prune; returns the bytes it freed. */
    @FunctionalInterface
    public interface ContentCollector {
        long collect();
    }

    public record PruneReport(List<ImageDeleteItem> items, long spaceReclaimed) {}

    private final ImageStore images;
    private final ImageUsers users;
    private final ImageEvents events;
    private final ContentCollector collector;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    public ImageService(ImageStore images, ImageUsers users, ImageEvents events, ContentCollector collector) {
        this.images = images;
        this.users = users;
        this.events = events;
        this.collector = collector;
    }

    /**
     * Resolves {@code ref} ("No such image" if missing) and runs {@code use} while no removal can run; the
     * container that {@code use} creates must be registered (listed by ImageUsers) before it returns.
     */
    public <T> T withImage(String ref, ImageUse<T> use) throws Exception {
        lock.readLock().lock();
        try {
            return use.apply(images.resolve(ref));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** `DELETE /images/{name}`: Docker's rules for a name, a tag among several, an ID, force and users. */
    public List<ImageDeleteItem> remove(String name, boolean force) {
        lock.writeLock().lock();
        try {
            ImageRecord image = images.resolve(name);
            List<ImageUsers.ImageUser> using = usersOf(image);
            return byId(name, image) ? removeById(image, using, force) : removeByName(name, image, using, force);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<ImageDeleteItem> removeByName(String name, ImageRecord image, List<ImageUsers.ImageUser> using, boolean force) {
        boolean lastTag = image.repoTags().size() <= 1;
        // Untagging the last name of a used image would leave it dangling under a container: only when forced.
        if (lastTag && !force && !using.isEmpty()) {
            throw new ConflictException("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                    + shortId(using.getFirst().containerId()) + " is using its referenced image " + image.id().shortId());
        }
        List<ImageDeleteItem> report = new ArrayList<>(untag(image, name));
        if (!lastTag) return report;
        // The last name is gone: the image goes too unless a container still stands on its layers.
        if (using.isEmpty()) report.add(delete(image, name));
        return report;
    }

    private List<ImageDeleteItem> removeById(ImageRecord image, List<ImageUsers.ImageUser> using, boolean force) {
        for (ImageUsers.ImageUser u : using) {
            if (u.running()) {
                throw new ConflictException("conflict: unable to delete " + image.id().shortId()
                        + " (cannot be forced) - image is being used by running container " + shortId(u.containerId()));
            }
        }
        if (!force && image.repoTags().size() > 1) {
            throw new ConflictException("conflict: unable to delete " + image.id().shortId()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        if (!force && !using.isEmpty()) {
            throw new ConflictException("conflict: unable to delete " + image.id().shortId()
                    + " (must be forced) - image is being used by stopped container " + shortId(using.getFirst().containerId()));
        }
        List<ImageDeleteItem> report = new ArrayList<>();
        for (String tag : image.repoTags()) report.addAll(untag(image, tag));
        if (using.isEmpty()) report.add(delete(image, image.id().toString()));
        return report;
    }

    /**
     * `POST /images/prune`: dangling images (no tag), or with {@code all} every image; never one a container
     * uses. {@code matches} applies the request's label/until filters.
     */
    public PruneReport prune(boolean all, Predicate<ImageRecord> matches) {
        lock.writeLock().lock();
        try {
            Set<String> used = users.list().stream().map(ImageUsers.ImageUser::imageId).collect(Collectors.toSet());
            List<ImageDeleteItem> report = new ArrayList<>();
            long reclaimed = 0;
            for (ImageRecord image : images.list()) {
                if (used.contains(image.id().toString()) || (!all && !image.repoTags().isEmpty()) || !matches.test(image)) continue;
                for (String tag : image.repoTags()) report.addAll(untag(image, tag));
                // what actually went: layers other images still use stay, as Docker's prune counts them
                reclaimed += images.delete(image.id());
                events.publish("delete", image.id().toString(), Map.of("name", image.id().toString()));
                report.add(new ImageDeleteItem.Deleted(image.id().toString()));
            }
            reclaimed += collector.collect();
            return new PruneReport(report, reclaimed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<ImageDeleteItem> untag(ImageRecord image, String ref) {
        List<ImageDeleteItem> out = new ArrayList<>();
        for (String untagged : images.untag(ref)) {
            out.add(new ImageDeleteItem.Untagged(untagged));
            events.publish("untag", image.id().toString(), Map.of("name", untagged));
        }
        return out;
    }

    private ImageDeleteItem delete(ImageRecord image, String name) {
        images.delete(image.id());
        events.publish("delete", image.id().toString(), Map.of("name", name));
        return new ImageDeleteItem.Deleted(image.id().toString());
    }

    private List<ImageUsers.ImageUser> usersOf(ImageRecord image) {
        return users.list().stream().filter(u -> u.imageId().equals(image.id().toString())).toList();
    }

    /** An ID, "sha256:"-ID or unique ID prefix names the image itself, not one of its tags. */
    private static boolean byId(String name, ImageRecord image) {
        String hex = image.id().hex();
        return name.equals(image.id().toString())
                || (name.matches("[0-9a-f]{1,64}") && hex.startsWith(name))
                || (name.startsWith("sha256:") && image.id().toString().startsWith(name));
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
