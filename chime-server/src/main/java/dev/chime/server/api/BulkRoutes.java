package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.InvalidInputException;
import dev.chime.schedule.LabelSelector;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.AuthException;
import dev.chime.server.auth.Caller;
import dev.chime.store.ScheduleQuery;
import dev.chime.store.ScheduleStore.Done;
import dev.chime.store.ScheduleStore.ItemResult;
import dev.chime.tenant.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/schedules/bulk}: enable, disable, delete or run many schedules at once, named
 * by id or chosen by a selector; one transaction per chunk, an answer per schedule.
 */
final class BulkRoutes {
  /** The most schedules one bulk request acts on. */
  static final int MAX_SCHEDULES = 1000;

  private static final Map<String, Scope> ACTIONS =
      Map.of(
          "enable", Scope.SCHEDULES_WRITE,
          "disable", Scope.SCHEDULES_WRITE,
          "delete", Scope.SCHEDULES_DELETE,
          "run-now", Scope.SCHEDULES_RUN);
  private static final Set<String> FIELDS = Set.of("action", "ids", "selector");
  private static final Set<String> SELECTOR_FIELDS = Set.of("label", "enabled", "q", "last_status");

  private final ScheduleOperations operations;
  private final Requests requests;

  BulkRoutes(ScheduleOperations operations, Requests requests) {
    this.operations = operations;
    this.requests = requests;
  }

  void register(RoutesConfig app) {
    // the scope depends on the action: checked once the body is read
    app.post("/api/v1/schedules/bulk", this::bulk, Access.AUTHENTICATED);
  }

  private void bulk(Context ctx) {
    Caller caller = caller(ctx);
    JsonNode body = requests.body(ctx);
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      throw new InvalidInputException(
          "body", "must be an object such as {\"action\":\"disable\",\"ids\":[\"...\"]}");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        errors.add(field, "unknown field; a bulk request has action, and ids or selector");
      }
    }
    String action = body.path("action").asText("");
    Scope scope = ACTIONS.get(action);
    if (scope == null) {
      errors.add("action", "must be enable, disable, delete or run-now");
    }
    boolean hasIds = body.has("ids");
    boolean hasSelector = body.has("selector");
    if (hasIds == hasSelector) {
      errors.add("ids", "give either ids (a list of schedule ids) or a selector, not both");
    }
    List<UUID> ids = hasIds ? ids(body.get("ids"), errors) : List.of();
    Optional<ScheduleQuery> query =
        hasSelector
            ? Optional.ofNullable(selector(body.get("selector"), errors))
            : Optional.empty();
    errors.throwIfAny();
    if (!caller.allows(scope)) {
      throw new AuthException.Forbidden(
          scope.wireName(), "this token lacks the scope " + scope.wireName());
    }
    if (query.isPresent()) {
      ids = operations.select(caller.tenantId(), query.get(), MAX_SCHEDULES);
      if (ids.size() > MAX_SCHEDULES) {
        throw new InvalidInputException(
            "selector",
            "matches more than " + MAX_SCHEDULES + " schedules; narrow it, or act in parts");
      }
    }
    List<ItemResult> results = operations.bulk(caller, action, ids);
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("action", action);
    ObjectNode counts = answer.putObject("counts");
    for (Done done : Done.values()) {
      counts.put(done.name().toLowerCase(java.util.Locale.ROOT), 0);
    }
    var items = answer.putArray("results");
    for (ItemResult result : results) {
      String name = result.done().name().toLowerCase(java.util.Locale.ROOT);
      counts.put(name, counts.path(name).asInt() + 1);
      ObjectNode item = items.addObject().put("id", result.id().toString()).put("result", name);
      if (!result.detail().isEmpty()) {
        item.put("detail", result.detail());
      }
    }
    ctx.json(answer);
  }

  private static List<UUID> ids(JsonNode node, ScheduleJson.Errors errors) {
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_SCHEDULES) {
      errors.add("ids", "must be a list of 1 to " + MAX_SCHEDULES + " schedule ids");
      return List.of();
    }
    Set<UUID> ids = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      try {
        ids.add(UUID.fromString(node.get(i).asText("")));
      } catch (IllegalArgumentException e) {
        errors.add("ids[" + i + "]", "is not a schedule id");
      }
    }
    return new ArrayList<>(ids);
  }

  private static ScheduleQuery selector(JsonNode node, ScheduleJson.Errors errors) {
    if (!node.isObject() || node.isEmpty()) {
      errors.add(
          "selector",
          "must be an object of label, enabled, q and last_status, as the list's filters");
      return null;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!SELECTOR_FIELDS.contains(field)) {
        errors.add(
            "selector." + field, "unknown filter; the filters are label, enabled, q, last_status");
      }
    }
    Optional<Boolean> enabled = Optional.empty();
    if (node.has("enabled")) {
      if (node.get("enabled").isBoolean()) {
        enabled = Optional.of(node.get("enabled").booleanValue());
      } else {
        errors.add("selector.enabled", "must be true or false");
      }
    }
    Optional<String> label = text(node, "label", errors);
    Optional<String> q = text(node, "q", errors);
    Optional<String> lastStatus = text(node, "last_status", errors);
    if (!errors.isEmpty()) {
      return null;
    }
    return new ScheduleQuery(
        enabled,
        Optional.empty(),
        q,
        label.map(text -> LabelSelector.parse(text, "selector.label")),
        ScheduleRoutes.lastStatus(lastStatus),
        Optional.empty(),
        ScheduleQuery.MAX_LIMIT);
  }

  private static Optional<String> text(JsonNode node, String field, ScheduleJson.Errors errors) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.textValue().length() > 2000) {
      errors.add("selector." + field, "must be text of at most 2000 characters");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }
}
