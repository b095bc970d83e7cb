package dev.satellite.cluster;

/**
 * Address conventions of cluster routing: every actor listens on its address and also on
 * {@code <address>@<node id>}, which reaches it on that node only; every node answers probes on
 * {@code satellite.node.<node id>.probe} and takes the other nodes' ticks on {@code satellite.node.<node id>.tick}.
 */
public final class NodeAddresses {

  private NodeAddresses() {
  }

  public static String onNode(String address, String nodeId) {
    return address + "@" + nodeId;
  }

  public static String probe(String nodeId) {
    return "satellite.node." + nodeId + ".probe";
  }

  public static String tick(String nodeId) {
    return "satellite.node." + nodeId + ".tick";
  }
}
