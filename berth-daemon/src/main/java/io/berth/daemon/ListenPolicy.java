package io.berth.daemon;

import java.util.ArrayList;
import java.util.List;

import io.berth.daemon.http.ApiHost;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * Which TCP listeners berthd accepts. The Engine API is root on the machine, so a TCP port that clients reach
 * without a certificate signed by the daemon's CA ({@code --tlsverify}) is allowed on a loopback address only, and
 * even there with a warning (a browser's script can reach 127.0.0.1). Anything else is refused at start with no
 * override: dockerd 27+ refuses the same, and its older releases only slowed down their start to warn.
 */
final class ListenPolicy {
    private ListenPolicy() {}

    static void check(List<ApiHost> hosts, DaemonOptions.TlsFiles tls) {
        boolean verified = tls != null && tls.verifyClients();
        for (ApiHost host : hosts) {
            if (host instanceof ApiHost.Tcp tcp && !verified && !tcp.loopback()) {
                throw new InvalidArgumentException("berthd: refusing to listen on " + tcp.uri() + " without --tlsverify: "
                        + "anyone who can reach that address could run anything as root on this machine. Use --tlsverify "
                        + "with --tlscacert, --tlscert and --tlskey (clients then need a certificate signed by that CA), "
                        + "a loopback address such as tcp://127.0.0.1:" + tcp.port() + ", or a unix:// socket");
            }
        }
    }

    /** What berthd logs at start about listeners it accepts but that are not protected by client certificates. */
    static List<String> warnings(List<ApiHost> hosts, DaemonOptions.TlsFiles tls) {
        List<String> out = new ArrayList<>();
        boolean verified = tls != null && tls.verifyClients();
        for (ApiHost host : hosts) {
            if (host instanceof ApiHost.Tcp tcp && !verified) {
                out.add("listening on " + tcp.uri() + " without --tlsverify: every local user and process, and any "
                        + "script a browser on this machine runs, can drive berthd (and so be root)");
            }
        }
        return out;
    }
}
