package dev.chime.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.TargetServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The receiving ends of alerts in tests: a real webhook receiver (also standing in for Slack) and a
 * real SMTP server (GreenMail) with one user, and requests that make channels for them.
 */
final class AlertReceivers implements AutoCloseable {
  static final String SMTP_USER = "chime";
  static final String SMTP_PASSWORD = "smtp-password-for-tests";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final TargetServer hooks = new TargetServer();
  final GreenMail mail =
      new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig()
                  .withUser("ops@example.com", SMTP_USER, SMTP_PASSWORD));

  AlertReceivers() {
    mail.start();
  }

  String webhookChannel(String name, String path) {
    return "{\"name\":\""
        + name
        + "\",\"type\":\"webhook\",\"url\":\""
        + hooks.url(path)
        + "?token=hook-secret-token\",\"headers\":{\"Authorization\":\"Bearer hook-header-secret\"}}";
  }

  String slackChannel(String name, String path) {
    return "{\"name\":\"" + name + "\",\"type\":\"slack\",\"url\":\"" + hooks.url(path) + "\"}";
  }

  String emailChannel(String name, String security) {
    return "{\"name\":\""
        + name
        + "\",\"type\":\"email\",\"to\":[\"ops@example.com\"],\"from\":\"chime@example.com\","
        + "\"smtp\":{\"host\":\"127.0.0.1\",\"port\":"
        + mail.getSmtp().getPort()
        + ",\"security\":\""
        + security
        + "\",\"user\":\""
        + SMTP_USER
        + "\",\"password\":\""
        + SMTP_PASSWORD
        + "\"}}";
  }

  /** Makes a channel through the API; answers the created channel. */
  static JsonNode create(ChimeTestNode chime, String body) {
    Response made = chime.post("/api/v1/channels", body);
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    return made.json();
  }

  /** A schedule that fires once an hour (tests run it by hand), calling {@code url} once a run. */
  static String schedule(ChimeTestNode chime, String name, String url, int timeoutMs) {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\""
                + name
                + "\",\"trigger\":{\"type\":\"interval\",\"seconds\":3600},\"target\":{\"url\":\""
                + url
                + "\",\"timeout_ms\":"
                + timeoutMs
                + "},\"retry_policy\":{\"max_attempts\":1}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  /** The alerts a webhook channel received at {@code path}, in order, one list per request. */
  List<JsonNode> webhookBodies(String path) {
    return hooks.received(path).stream().map(r -> parse(r.body())).toList();
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    hooks.close();
    mail.stop();
  }
}
