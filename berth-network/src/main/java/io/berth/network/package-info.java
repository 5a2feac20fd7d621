/**
 * Container networks. berthd owns the network definitions and address management; netavark (Podman's network
 * tool) creates bridges, veth pairs, NAT and port forwarding for a network namespace from JSON, and
 * aardvark-dns answers container names per network. No netlink or iptables code of our own.
 */
package io.berth.network;
