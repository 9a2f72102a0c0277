package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.InvalidInputException;
import dev.chime.server.auth.Access;
import dev.chime.timing.CronExpression;
import dev.chime.timing.CronSyntaxException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@code GET /api/v1/cron/preview}: what an expression means and when it fires next. */
final class CronRoutes {
  private final Clock clock;

  CronRoutes(Clock clock) {
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    // a pure function of its parameters: nothing of any tenant is read
    app.get("/api/v1/cron/preview", this::preview, Access.PUBLIC);
  }

  private void preview(Context ctx) {
    String expr =
        Requests.textParam(ctx, "expr", 200)
            .orElseThrow(
                () -> new InvalidInputException("expr", "is required, e.g. expr=0 9 * * 1-5"));
    String zoneText = Requests.textParam(ctx, "timezone", 100).orElse("UTC");
    int count = Requests.intParam(ctx, "count", 5, 1, 100);
    Optional<String> afterText = Requests.textParam(ctx, "after", 64);

    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          "timezone",
          "unknown time zone '" + zoneText + "'; use an IANA name such as Europe/Berlin or UTC");
    }
    Instant after;
    try {
      after = afterText.map(t -> OffsetDateTime.parse(t).toInstant()).orElseGet(clock::instant);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "after",
          "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z; got '"
              + afterText.get()
              + "'");
    }
    CronExpression cron;
    try {
      cron = CronExpression.parse(expr);
    } catch (CronSyntaxException e) {
      throw new InvalidInputException("expr", e.getMessage());
    }

    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("expr", cron.expression());
    body.put("timezone", zone.getId());
    body.put("description", cron.describe());
    ArrayNode fires = body.putArray("fires");
    Instant cursor = after;
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = cron.nextAfter(cursor, zone);
      if (next.isEmpty()) {
        break;
      }
      cursor = next.get();
      fires
          .addObject()
          .put("utc", cursor.toString())
          .put(
              "local",
              DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                  cursor.atZone(zone).toOffsetDateTime()));
    }
    ctx.json(body);
  }
}
