package io.berth.network;

import io.berth.oci.errors.InvalidArgumentException;

/** Connects and disconnects containers (POST /networks/{id}/connect and /disconnect); the integration implements it. */
public interface NetworkConnector {
    /** Until the container integration exists: both refused by name. */
    NetworkConnector NOT_SUPPORTED = new NetworkConnector() {
        @Override
        public void connect(Network network, ConnectRequest request) {
            throw new InvalidArgumentException("berth does not support connecting containers yet");
        }

        @Override
        public void disconnect(Network network, String container, boolean force) {
            throw new InvalidArgumentException("berth does not support disconnecting containers yet");
        }
    };

    void connect(Network network, ConnectRequest request);

    void disconnect(Network network, String container, boolean force);
}
