package io.berth.registry.server;

import java.io.IOException;
import java.util.Map;

/** {@code /v2/_catalog?n=&last=}. */
final class CatalogHandler {
    private final RegistryStorage storage;

    CatalogHandler(RegistryStorage storage) {
        this.storage = storage;
    }

    void list(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        Page page = Page.of(storage.repositories().stream().map(RepositoryName::value).toList(),
                request.query("n"), request.query("last"));
        String link = page.nextLink("/v2/_catalog", request.query("n"));
        request.respondJson(200, Map.of("repositories", page.items()), link == null ? Map.of() : Map.of("Link", link));
    }
}
