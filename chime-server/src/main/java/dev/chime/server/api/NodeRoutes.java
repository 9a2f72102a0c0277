package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.NotFoundException;
import dev.chime.node.Node;
import dev.chime.node.NodeList;
import dev.chime.server.auth.Access;
import dev.chime.store.NodeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /api/v1/nodes}: the nodes of the cluster as the database sees them, each with its state
 * (judged by the database's clock) and what it holds. For operators only: what a node holds counts
 * every tenant's work.
 */
final class NodeRoutes {
  private static final String BASE = "/api/v1/nodes";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final NodeStore nodes;

  NodeRoutes(NodeStore nodes) {
    this.nodes = nodes;
  }

  void register(RoutesConfig app) {
    app.get(BASE, this::list, Access.OPERATOR);
    app.get(BASE + "/{id}", this::get, Access.OPERATOR);
  }

  private void list(Context ctx) {
    NodeList list = nodes.list();
    ObjectNode body = JSON.objectNode();
    body.put("checked_at", list.checkedAt().toString());
    ArrayNode items = body.putArray("items");
    list.nodes().forEach(node -> items.add(view(node)));
    ctx.json(body);
  }

  private void get(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(view(nodes.get(id).orElseThrow(() -> new NotFoundException("node", id))));
  }

  private static ObjectNode view(Node node) {
    ObjectNode view = JSON.objectNode();
    view.put("id", node.id());
    view.put("address", node.address());
    view.put("version", node.version());
    view.put("state", node.state().wireName());
    view.put("started_at", node.startedAt().toString());
    view.put("heartbeat_at", node.heartbeatAt().toString());
    if (node.stoppedAt().isPresent()) {
      view.put("stopped_at", node.stoppedAt().get().toString());
    } else {
      view.putNull("stopped_at");
    }
    view.put("since_heartbeat_ms", node.sinceHeartbeat().toMillis());
    view.put("heartbeat_ms", node.heartbeatInterval().toMillis());
    view.put("lease_ms", node.lease().toMillis());
    view.putObject("holds")
        .put("schedules", node.leasedSchedules())
        .put("running_runs", node.runningRuns());
    return view;
  }
}
