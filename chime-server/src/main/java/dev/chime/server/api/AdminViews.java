package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.chime.audit.AuditEvent;
import dev.chime.tenant.ApiToken;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Scope;
import dev.chime.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** The JSON of tenants, tokens and audit events; a token's hash is never part of it. */
final class AdminViews {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AdminViews() {}

  static ObjectNode token(ApiToken token, Instant now) {
    ObjectNode node = NODES.objectNode();
    node.put("id", token.id().toString());
    node.put("tenant_id", token.tenantId());
    node.put("name", token.name());
    node.put("prefix", token.prefix());
    var scopes = node.putArray("scopes");
    for (Scope scope : Scope.values()) {
      if (token.scopes().contains(scope)) {
        scopes.add(scope.wireName());
      }
    }
    node.put("state", token.state(now));
    node.put("created_at", token.createdAt().toString());
    instant(node, "expires_at", token.expiresAt());
    instant(node, "revoked_at", token.revokedAt());
    if (token.createdBy().isPresent()) {
      node.put("created_by", token.createdBy().get().toString());
    } else {
      node.putNull("created_by");
    }
    return node;
  }

  /** What {@code /tokens/current} answers with authentication off: no token, every scope. */
  static ObjectNode anonymous(dev.chime.server.auth.Caller caller) {
    ObjectNode node = NODES.objectNode();
    node.putNull("id");
    node.put("tenant_id", caller.tenantId());
    node.put("name", caller.actor().name());
    var scopes = node.putArray("scopes");
    for (Scope scope : Scope.values()) {
      scopes.add(scope.wireName());
    }
    node.put("state", "auth_off");
    return node;
  }

  /** A token as its audit events keep it: without a state, which changes by itself with time. */
  static String tokenRecord(ApiToken token) {
    ObjectNode node = token(token, token.createdAt());
    node.remove("state");
    return node.toString();
  }

  static ObjectNode tenant(Tenant tenant, Quotas effective) {
    ObjectNode node = NODES.objectNode();
    node.put("id", tenant.id());
    node.put("name", tenant.name());
    node.put("created_at", tenant.createdAt().toString());
    ObjectNode quotas = node.putObject("quotas");
    quotas.put("max_enabled_schedules", effective.maxEnabledSchedules());
    quotas.put("min_interval_s", effective.minInterval().toSeconds());
    quotas.put("max_running", effective.maxRunning());
    quotas.put("max_payload_bytes", effective.maxPayloadBytes());
    node.set("own_quotas", ownQuotas(tenant.quotas()));
    return node;
  }

  /** The tenant's own limits; null where it follows the node's default. */
  static ObjectNode ownQuotas(Quotas.Overrides own) {
    ObjectNode quotas = NODES.objectNode();
    number(quotas, "max_enabled_schedules", own.maxEnabledSchedules());
    number(quotas, "min_interval_s", own.minIntervalSeconds());
    number(quotas, "max_running", own.maxRunning());
    number(quotas, "max_payload_bytes", own.maxPayloadBytes());
    return quotas;
  }

  static String tenantRecord(Tenant tenant) {
    ObjectNode node = NODES.objectNode();
    node.put("id", tenant.id());
    node.put("name", tenant.name());
    node.set("own_quotas", ownQuotas(tenant.quotas()));
    return node.toString();
  }

  static ObjectNode audit(AuditEvent event) {
    ObjectNode node = NODES.objectNode();
    node.put("id", event.id().toString());
    node.put("tenant_id", event.tenantId());
    node.put("at", event.at().toString());
    ObjectNode actor = node.putObject("actor");
    actor.put("token_id", event.actor().tokenId().map(UUID::toString).orElse(null));
    actor.put("name", event.actor().name());
    node.put("action", event.action());
    node.putObject("object").put("type", event.objectType()).put("id", event.objectId());
    raw(node, "before", event.before());
    raw(node, "after", event.after());
    return node;
  }

  private static void raw(ObjectNode node, String field, Optional<String> json) {
    if (json.isPresent()) {
      node.putRawValue(field, new RawValue(json.get()));
    } else {
      node.putNull(field);
    }
  }

  private static void number(ObjectNode node, String field, OptionalInt value) {
    if (value.isPresent()) {
      node.put(field, value.getAsInt());
    } else {
      node.putNull(field);
    }
  }

  private static void instant(ObjectNode node, String field, Optional<Instant> value) {
    if (value.isPresent()) {
      node.put(field, value.get().toString());
    } else {
      node.putNull(field);
    }
  }
}
