package io.berth.registry.server;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /v2/<name>/tags/list?n=&last=}. */
final class TagsHandler {
    private final RegistryStorage storage;

    TagsHandler(RegistryStorage storage) {
        this.storage = storage;
    }

    void list(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        Page page = Page.of(storage.tags(name), request.query("n"), request.query("last"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name.value());
        body.put("tags", page.items());
        String link = page.nextLink("/v2/" + name.value() + "/tags/list", request.query("n"));
        request.respondJson(200, body, link == null ? Map.of() : Map.of("Link", link));
    }
}
