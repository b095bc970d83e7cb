package dev.satellite.cluster;

import java.util.List;
import java.util.Set;

/** Which nodes serve which actor addresses: what {@link ClusterRouter} needs to know of the cluster. Thread-safe. */
public interface NodeDirectory {

  /** The nodes that serve {@code address}, in a stable order; empty when none is known. */
  List<String> nodesServing(String address);

  /** The nodes that serve any actor (this one included, once it does). */
  Set<String> servingNodes();

  /** Whether {@code node} is a current member. */
  boolean knows(String node);
}
