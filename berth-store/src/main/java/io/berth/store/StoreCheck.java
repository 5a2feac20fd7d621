package io.berth.store;

import io.berth.oci.ChainId;
import io.berth.oci.Digest;
import io.berth.oci.DigestingInputStream;
import io.berth.oci.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code berth system check}: verifies the store against itself and its keepers.
 * <ul>
 *   <li>every blob hashes to its name;</li>
 *   <li>every snapshot an image uses has a record whose chain ID is its name and whose diff ID is the one the
 *       image's config lists for that layer;</li>
 *   <li>every required reference (image record → blobs, tag → image, container → image and snapshots) exists;</li>
 *   <li>nothing is left that nothing references and no lease holds (orphans, dead temp files).</li>
 * </ul>
 * With {@code repair}, first the {@link GarbageCollector} sweeps, and unrecorded or mismatched snapshots that
 * only images use are removed (they are unpacked again, and verified, on first use); what was removed is
 * reported, and the problems that remain (a corrupt referenced blob, a dangling container) are listed.
 */
public final class StoreCheck {

    /** One thing wrong: the object and what is wrong with it. */
    public record Problem(String object, String problem) {
    }

    public record Counts(int blobs, int snapshots, int images, int references) {
    }

    /**
     * @param notes state that is kept on purpose and not a problem (partial downloads a later pull resumes)
     */
    public record Result(List<Problem> problems, List<GarbageCollector.Removed> repaired, List<String> notes,
                         Counts checked) {
        public Result {
            problems = List.copyOf(problems);
            repaired = List.copyOf(repaired);
            notes = List.copyOf(notes);
        }
    }

    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageStore images;
    private final GarbageCollector gc;

    public StoreCheck(ContentStore content, SnapshotStore snapshots, ImageStore images, GarbageCollector gc) {
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
        this.gc = gc;
    }

    public Result run(boolean repair) {
        List<GarbageCollector.Removed> repaired = new ArrayList<>();
        if (repair) {
            repaired.addAll(gc.collect().removed());
        }
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        List<Digest> blobs = content.list();
        for (Digest blob : blobs) {
            verifyBlob(blob).ifPresent(problems::add);
        }

        List<StoreReference> references = gc.references();
        Set<Digest> containerSnapshots = new HashSet<>();
        for (StoreReference ref : references) {
            if (ref.kind() == StoreReference.Kind.SNAPSHOT && ref.owner().startsWith("container ")) {
                containerSnapshots.add(ref.digest());
            }
        }
        Set<Digest> checkedSnapshots = new HashSet<>();
        Map<Digest, List<Digest>> layers = images.layerDiffIds();
        for (Map.Entry<Digest, List<Digest>> image : layers.entrySet()) {
            List<Digest> diffIds = image.getValue();
            List<Digest> chains = diffIds.isEmpty() ? List.of() : ChainId.all(diffIds);
            for (int i = 0; i < chains.size(); i++) {
                Digest chain = chains.get(i);
                if (!snapshots.has(chain) || !checkedSnapshots.add(chain)) {
                    continue;
                }
                String wrong = snapshotMismatch(chain, diffIds.get(i));
                if (wrong == null) {
                    continue;
                }
                if (repair && !containerSnapshots.contains(chain)) {
                    snapshots.remove(chain);
                    repaired.add(new GarbageCollector.Removed("snapshot " + chain + " (" + wrong + ")", 0, false));
                } else {
                    problems.add(new Problem("snapshot " + chain, wrong + " (layer " + (i + 1) + " of image "
                            + image.getKey() + ")"));
                }
            }
        }

        for (StoreReference ref : references) {
            if (!ref.required()) {
                continue;
            }
            boolean present = switch (ref.kind()) {
                case BLOB, MANIFEST -> content.has(ref.digest());
                case SNAPSHOT -> snapshots.has(ref.digest());
                case IMAGE -> images.get(ref.digest()).isPresent();
            };
            if (!present) {
                problems.add(new Problem(ref.owner(), "refers to missing " + ref.kind().name().toLowerCase()
                        + " " + ref.digest()));
            }
        }

        for (GarbageCollector.Removed orphan : gc.reclaimable().removed()) {
            if (orphan.resumable()) {
                notes.add(orphan.what() + " (" + orphan.bytes() + " bytes, resumed by the next pull)");
            } else {
                problems.add(new Problem(orphan.what(), "referenced by nothing (" + orphan.bytes() + " bytes)"));
            }
        }
        return new Result(problems, repaired, notes,
                new Counts(blobs.size(), checkedSnapshots.size(), layers.size(), references.size()));
    }

    private Optional<Problem> verifyBlob(Digest blob) {
        try (InputStream in = Files.newInputStream(content.path(blob))) {
            DigestingInputStream digesting = new DigestingInputStream(in, blob.algorithm());
            digesting.transferTo(OutputStream.nullOutputStream());
            Digest actual = digesting.digest();
            if (!actual.equals(blob)) {
                return Optional.of(new Problem("blob " + blob, "content hashes to " + actual));
            }
            return Optional.empty();
        } catch (IOException | BerthException e) {
            return Optional.of(new Problem("blob " + blob, "cannot be read: " + e.getMessage()));
        }
    }

    /** Why the snapshot does not match the layer an image expects there, or null if it does. */
    private String snapshotMismatch(Digest chain, Digest diffId) {
        Optional<SnapshotRecord> record = snapshots.record(chain);
        if (record.isEmpty()) {
            return "has no record of what it was unpacked from";
        }
        if (!chain.equals(record.get().chainId())) {
            return "record names chain " + record.get().chainId();
        }
        if (!diffId.equals(record.get().diffId())) {
            return "unpacked from diff ID " + record.get().diffId() + ", image expects " + diffId;
        }
        return null;
    }
}
