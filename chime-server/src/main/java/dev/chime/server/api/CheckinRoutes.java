package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.schedule.InputText;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import dev.chime.server.auth.Tokens;
import dev.chime.store.CheckinStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Check-ins. {@code POST /api/v1/schedules/{id}/checkin-token} gives a check-in schedule the token
 * its job pings with (answered this once); {@code POST /api/v1/checkins/{token}} (and {@code
 * /start}, {@code /fail}) is the ping, which needs no other authentication: the token, 256 random
 * bits, is the proof.
 */
final class CheckinRoutes {
  private static final String PINGS = "/api/v1/checkins";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CheckinStore checkins;
  private final Requests requests;
  private final Clock clock;
  private final String publicUrl;

  CheckinRoutes(CheckinStore checkins, Requests requests, Clock clock, String publicUrl) {
    this.checkins = checkins;
    this.requests = requests;
    this.clock = clock;
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  void register(RoutesConfig app) {
    app.post("/api/v1/schedules/{id}/checkin-token", this::issue, Access.SCHEDULES_WRITE);
    app.post(PINGS + "/{token}", ctx -> ping(ctx, CheckinStore.Ping.SUCCESS), Access.PUBLIC);
    app.post(PINGS + "/{token}/start", ctx -> ping(ctx, CheckinStore.Ping.START), Access.PUBLIC);
    app.post(PINGS + "/{token}/fail", ctx -> ping(ctx, CheckinStore.Ping.FAIL), Access.PUBLIC);
  }

  private void issue(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "schedule");
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    switch (checkins.issue(caller.tenantId(), id, Tokens.hash(token), caller.actor(), now())) {
      case NO_SCHEDULE -> throw new NotFoundException("schedule", id.toString());
      case NOT_A_CHECKIN ->
          throw new ConflictException(
              "target.type",
              "the schedule's target is not a check-in ({\"type\":\"checkin\",\"grace_s\":300})");
      case ISSUED -> {}
    }
    String url = publicUrl + PINGS + "/" + token;
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schedule_id", id.toString());
    body.put("token", token);
    body.put("ping_url", url);
    body.put("start_url", url + "/start");
    body.put("fail_url", url + "/fail");
    ctx.status(201);
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  private void ping(Context ctx, CheckinStore.Ping ping) {
    String token = ctx.pathParam("token");
    Optional<String> message = message(ctx);
    CheckinStore.Pinged pinged =
        token.length() > 100
            ? new CheckinStore.Pinged(false, Optional.empty())
            : checkins.ping(Tokens.hash(token), ping, message, now());
    if (!pinged.known()) {
      // the same answer for a token that never was as for one replaced since
      throw new NotFoundException("check-in", "with this token");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("ping", ping.name().toLowerCase(java.util.Locale.ROOT));
    if (pinged.runId().isPresent()) {
      body.put("run_id", pinged.runId().get().toString());
    } else {
      body.putNull("run_id");
    }
    body.put(
        "detail",
        pinged.runId().isPresent()
            ? "recorded on the run waiting for it"
            : ping == CheckinStore.Ping.SUCCESS
                ? "no run was waiting: kept for the next instant, if it comes within the grace"
                : "no run was waiting: nothing recorded");
    ctx.json(body);
  }

  /** The optional {@code {"message": "..."}} of a ping; no body at all is fine. */
  private Optional<String> message(Context ctx) {
    if (ctx.req().getContentLengthLong() <= 0 && ctx.header("Transfer-Encoding") == null) {
      return Optional.empty();
    }
    JsonNode body = requests.body(ctx);
    JsonNode text = body.path("message");
    if (!body.isObject() || (!text.isMissingNode() && !text.isTextual()) || body.size() > 1) {
      throw new InvalidInputException("body", "must be empty or {\"message\":\"...\"}");
    }
    if (text.isMissingNode()) {
      return Optional.empty();
    }
    InputText.multilineProblem(text.textValue(), 2000)
        .ifPresent(
            problem -> {
              throw new InvalidInputException("message", problem);
            });
    return Optional.of(text.textValue());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
