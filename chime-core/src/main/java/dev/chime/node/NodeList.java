package dev.chime.node;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Every registered node, read at {@code checkedAt} by the database's clock. */
public record NodeList(Instant checkedAt, List<Node> nodes) {
  public NodeList {
    Objects.requireNonNull(checkedAt, "checkedAt");
    nodes = List.copyOf(nodes);
  }
}
