package io.berth.registry.server;

import java.io.IOException;

/** Serves one method of one route, after the request passed authorisation. */
@FunctionalInterface
interface Handler {
    void handle(RegistryRequest request, Authorizer.Grant grant) throws IOException;
}
