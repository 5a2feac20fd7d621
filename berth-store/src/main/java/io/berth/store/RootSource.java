package io.berth.store;

import java.util.List;

/** A keeper of store content outside the image store (containers, the build cache), asked at every sweep. */
@FunctionalInterface
public interface RootSource {
    List<StoreReference> references();
}
