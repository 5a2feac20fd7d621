/**
 * The runtime side of container networks: what happens to a container's network at each start and stop.
 * <pre>
 * EXEC-ROOT/netns/&lt;id&gt;                 the container's network namespace, bind-mounted ({@link io.berth.network.runtime.Netns})
 * EXEC-ROOT/netavark/                  netavark's config dir: aardvark-dns's name files and pid (per boot)
 * EXEC-ROOT/containers/&lt;id&gt;/network/   write-ahead and result records ({@link io.berth.network.runtime.NetworkRecords})
 * </pre>
 * {@link io.berth.network.runtime.NetworkSteps#create} wires it for the daemon: its {@code step()} goes into
 * ContainerService's daemon steps, its {@code attacher()} serves connect and disconnect, and
 * {@link io.berth.network.runtime.NetworkStatusReader} serves inspect and {@code docker port}. Network definitions
 * and address management come in through {@link io.berth.network.runtime.NetworkCatalog} and
 * {@link io.berth.network.runtime.AddressLeases}.
 */
package io.berth.network.runtime;
