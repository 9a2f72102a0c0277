package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.InvalidInputException.FieldError;
import dev.chime.dispatch.AddressPolicy;
import dev.chime.dispatch.TargetAllowList;
import dev.chime.outgoing.TenantSigning.Signing;
import dev.chime.server.auth.Access;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The caller's tenant's outgoing settings: {@code /api/v1/signing-secrets} (listed masked; a
 * rotation answers the new secret, once) and {@code /api/v1/target-policy} (the address policy, and
 * the tenant's allow-list within it).
 */
final class OutgoingRoutes {
  private static final String SECRETS = "/api/v1/signing-secrets";
  private static final String POLICY = "/api/v1/target-policy";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The most secrets that sign at once: a rotation beyond it must end the older ones. */
  static final int MAX_SIGNING = 3;

  static final long MAX_GRACE_S = 30 * 86_400;

  private final Outgoing outgoing;
  private final Requests requests;
  private final Clock clock;

  OutgoingRoutes(Outgoing outgoing, Requests requests, Clock clock) {
    this.outgoing = outgoing;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.get(
        SECRETS,
        ctx -> ctx.json(secrets(outgoing.signing().list(caller(ctx).tenantId()))),
        Access.ADMIN);
    app.post(SECRETS + "/rotate", this::rotate, Access.ADMIN);
    // those who write schedules see which targets they may name
    app.get(
        POLICY,
        ctx -> ctx.json(policy(outgoing.allowLists().read(caller(ctx).tenantId()))),
        Access.SCHEDULES_READ);
    // the tenant's list only narrows what the node allows: its own admin sets it
    app.put(POLICY, this::replacePolicy, Access.ADMIN);
  }

  private void rotate(Context ctx) {
    Duration grace = grace(ctx);
    String tenant = caller(ctx).tenantId();
    List<Signing> signing = outgoing.signing().list(tenant);
    if (!grace.isZero() && signing.size() >= MAX_SIGNING) {
      throw new ConflictException(
          "grace_s",
          signing.size()
              + " secrets sign calls already, the most there may be ("
              + MAX_SIGNING
              + "); wait until the oldest stops at "
              + signing.get(0).expiresAt().map(Object::toString).orElse("its end")
              + ", or rotate with grace_s 0, which stops the older ones now");
    }
    List<Signing> now = outgoing.signing().rotate(tenant, grace, caller(ctx).actor());
    Signing created = now.get(now.size() - 1);
    ObjectNode body = JSON.objectNode();
    body.put("id", created.id().toString());
    // the one time the secret is shown: never logged, never kept in a cache of the answer
    body.put("secret", created.secret().text());
    body.put("created_at", created.createdAt().toString());
    body.put("grace_s", grace.toSeconds());
    body.setAll(secrets(now));
    ctx.header("Cache-Control", "no-store");
    ctx.status(201).json(body);
  }

  /** {@code grace_s} from the body, or the configured default when there is no body. */
  private Duration grace(Context ctx) {
    if (ctx.bodyAsBytes().length == 0) {
      return outgoing.signingGrace();
    }
    JsonNode body = requests.body(ctx);
    if (!body.isObject()) {
      throw new InvalidInputException("body", "must be a JSON object such as {\"grace_s\": 3600}");
    }
    onlyFields(body, "grace_s");
    JsonNode grace = body.get("grace_s");
    if (grace == null) {
      return outgoing.signingGrace();
    }
    if (!grace.isIntegralNumber()
        || !grace.canConvertToLong()
        || grace.longValue() < 0
        || grace.longValue() > MAX_GRACE_S) {
      throw new InvalidInputException(
          "grace_s", "must be a whole number of seconds from 0 to " + MAX_GRACE_S + " (30 days)");
    }
    return Duration.ofSeconds(grace.longValue());
  }

  private static ObjectNode secrets(List<Signing> signing) {
    ObjectNode body = JSON.objectNode();
    ArrayNode items = body.putArray("items");
    for (Signing secret : signing) {
      ObjectNode item = items.addObject();
      item.put("id", secret.id().toString());
      item.put("secret", secret.secret().masked());
      item.put("created_at", secret.createdAt().toString());
      if (secret.expiresAt().isPresent()) {
        item.put("expires_at", secret.expiresAt().get().toString());
        item.put("state", "retiring");
      } else {
        item.putNull("expires_at");
        item.put("state", "current");
      }
    }
    return body;
  }

  private void replacePolicy(Context ctx) {
    JsonNode body = requests.body(ctx);
    if (!body.isObject()) {
      throw new InvalidInputException("body", "must be a JSON object such as {\"allow\": [...]}");
    }
    onlyFields(body, "allow", "global");
    JsonNode allow = body.get("allow");
    if (allow == null || !allow.isArray()) {
      throw new InvalidInputException(
          "allow",
          "is required: an array of host names (api.example.com, *.example.com) and address"
              + " blocks (10.1.0.0/16); [] narrows nothing");
    }
    if (allow.size() > TargetAllowList.MAX_ENTRIES) {
      throw new InvalidInputException(
          "allow", "at most " + TargetAllowList.MAX_ENTRIES + " entries, got " + allow.size());
    }
    List<String> entries = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < allow.size(); i++) {
      JsonNode entry = allow.get(i);
      String field = "allow[" + i + "]";
      if (!entry.isTextual()) {
        errors.add(new FieldError(field, "must be a string"));
        continue;
      }
      Optional<String> problem = TargetAllowList.problem(entry.textValue());
      if (problem.isPresent()) {
        errors.add(new FieldError(field, problem.get()));
      } else if (!entries.contains(entry.textValue().trim())) {
        entries.add(entry.textValue().trim());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    TargetAllowList list = TargetAllowList.of(entries);
    outgoing
        .allowLists()
        .replace(caller(ctx).tenantId(), list, clock.instant(), caller(ctx).actor());
    ctx.json(policy(list));
  }

  private ObjectNode policy(TargetAllowList list) {
    ObjectNode body = JSON.objectNode();
    ArrayNode allow = body.putArray("allow");
    list.entries().forEach(allow::add);
    AddressPolicy policy = outgoing.guard().policy();
    ObjectNode global = body.putObject("global");
    global.put("loopback", policy.allowLoopback() ? "allow" : "refuse");
    global.put("private", policy.allowPrivate() ? "allow" : "refuse");
    ArrayNode networks = global.putArray("allowed_networks");
    policy.allowedNetworks().forEach(n -> networks.add(n.toString()));
    ArrayNode refused = global.putArray("always_refused");
    AddressPolicy.alwaysRefused().forEach(refused::add);
    return body;
  }

  /** Refuses fields other than {@code known}; {@code global} is shown, and ignored when sent. */
  private static void onlyFields(JsonNode body, String... known) {
    List<String> allowed = List.of(known);
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        errors.add(
            new FieldError(field, "unknown field; this object has " + String.join(", ", allowed)));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }
}
