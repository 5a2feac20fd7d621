package io.berth.daemon.images;

import java.util.List;

/** The containers that use images, as the image rules need them: which image, running or not. */
@FunctionalInterface
public interface ImageUsers {
    record ImageUser(String containerId, String imageId, boolean running) {}

    List<ImageUser> list();
}
