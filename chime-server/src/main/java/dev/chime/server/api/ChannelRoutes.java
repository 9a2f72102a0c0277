package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.NotFoundException;
import dev.chime.TargetForbiddenException;
import dev.chime.alert.Channel;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.alerts.ChannelJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * {@code /api/v1/channels}: where a tenant's alerts go. A channel's credentials are never answered
 * (shown as {@code ****}); a webhook's signing secret is answered once, when it is made. {@code
 * POST .../test} sends a test alert at once and says how it went.
 */
final class ChannelRoutes {
  private static final String BASE = "/api/v1/channels";

  private final Alerts alerts;
  private final Requests requests;
  private final Clock clock;

  ChannelRoutes(Alerts alerts, Requests requests, Clock clock) {
    this.alerts = alerts;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.post(BASE, this::create, Access.ADMIN);
    app.get(BASE, this::list, Access.ADMIN);
    app.get(BASE + "/{id}", ctx -> ctx.json(ChannelJson.view(find(ctx))), Access.ADMIN);
    app.patch(BASE + "/{id}", this::patch, Access.ADMIN);
    app.delete(BASE + "/{id}", this::delete, Access.ADMIN);
    app.post(BASE + "/{id}/test", this::test, Access.ADMIN);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    ChannelJson.Input input = ChannelJson.read(requests.body(ctx));
    ChannelJson.url(input)
        .flatMap(alerts::refusalOf)
        .ifPresent(
            reason -> {
              throw new TargetForbiddenException("url", reason);
            });
    Channel channel = ChannelJson.channel(input, caller.tenantId(), alerts.secrets(), now());
    alerts.channels().insert(channel, caller.actor(), ChannelJson::record);
    ObjectNode view = ChannelJson.view(channel);
    input.signingSecret().ifPresent(secret -> view.put("signing_secret", secret));
    ctx.status(201);
    ctx.header("Location", BASE + "/" + channel.id());
    ctx.header("Cache-Control", "no-store");
    ctx.json(view);
  }

  /** A change in place: credentials not sent stay as they were, and are never answered. */
  private void patch(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "channel");
    var patch = requests.body(ctx);
    Channel changed =
        alerts
            .channels()
            .update(
                caller.tenantId(),
                id,
                current -> {
                  ChannelJson.Changed change =
                      ChannelJson.patch(current, patch, alerts.secrets(), now());
                  change
                      .url()
                      .flatMap(alerts::refusalOf)
                      .ifPresent(
                          reason -> {
                            throw new TargetForbiddenException("url", reason);
                          });
                  return change.channel();
                },
                caller.actor(),
                ChannelJson::record)
            .orElseThrow(() -> new NotFoundException("channel", id.toString()));
    ctx.header("Cache-Control", "no-store");
    ctx.json(ChannelJson.view(changed));
  }

  private void list(Context ctx) {
    var page =
        alerts
            .channels()
            .list(
                caller(ctx).tenantId(),
                Requests.textParam(ctx, "cursor", 500),
                Requests.intParam(ctx, "limit", 50, 1, 500));
    ctx.json(JsonViews.page(page, ChannelJson::view));
  }

  private void delete(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "channel");
    alerts
        .channels()
        .delete(caller.tenantId(), id, caller.actor(), now(), ChannelJson::record)
        .orElseThrow(() -> new NotFoundException("channel", id.toString()));
    ctx.status(204);
  }

  private void test(Context ctx) {
    Channel channel = find(ctx);
    Alerts.TestResult result = alerts.test(channel);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("channel_id", channel.id().toString());
    body.put("delivered", result.delivered());
    body.put("detail", result.detail());
    body.put("duration_ms", result.durationMs());
    ctx.json(body);
  }

  private Channel find(Context ctx) {
    UUID id = Requests.id(ctx, "channel");
    return alerts
        .channels()
        .get(caller(ctx).tenantId(), id)
        .orElseThrow(() -> new NotFoundException("channel", id.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
