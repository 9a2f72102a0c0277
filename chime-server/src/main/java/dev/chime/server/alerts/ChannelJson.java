package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Channel;
import dev.chime.alert.ChannelKind;
import dev.chime.schedule.InputText;
import dev.chime.schedule.JsonFields;
import dev.chime.schedule.ScheduleJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A channel as the API reads and shows it. What may be shown (kind, recipients, the SMTP host and
 * user, a URL's host) goes to {@code settings_json}; credentials (a webhook's URL and headers, the
 * SMTP password, the signing secret) go to the sealed secret and are shown as {@code ****}.
 */
public final class ChannelJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;\"]+@[^\\s@<>,;\"]+");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
  static final String MASK = "****";

  private ChannelJson() {}

  /** A channel read from a request: what to show, what to seal, and a new signing secret. */
  public record Input(
      String name,
      ChannelKind kind,
      ObjectNode settings,
      ObjectNode secret,
      Optional<String> signingSecret) {}

  /** Reads {@code body}; every problem is reported at once. */
  public static Input read(JsonNode body) {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      errors.add(
          "body",
          "must be an object such as {\"name\":\"ops\",\"type\":\"slack\",\"url\":\"https://hooks.slack.com/services/...\"}");
      errors.throwIfAny();
    }
    String name = JsonFields.requiredText(body, "name", "name", 200, errors);
    String type = JsonFields.requiredText(body, "type", "type", 16, errors);
    Optional<ChannelKind> kind = type == null ? Optional.empty() : ChannelKind.fromWire(type);
    if (type != null && kind.isEmpty()) {
      errors.add("type", "must be webhook, slack or email, got '" + type + "'");
    }
    ObjectNode settings = NODES.objectNode();
    ObjectNode secret = NODES.objectNode();
    Optional<String> signing = Optional.empty();
    if (kind.isPresent()) {
      switch (kind.get()) {
        case WEBHOOK -> {
          only(body, errors, "name", "type", "url", "headers");
          url(body, settings, secret, errors);
          headers(body.get("headers"), settings, secret, errors);
          signing = Optional.of(WebhookSigner.newSecret());
          secret.put("signing_secret", signing.get());
        }
        case SLACK -> {
          only(body, errors, "name", "type", "url");
          url(body, settings, secret, errors);
        }
        case EMAIL -> {
          only(body, errors, "name", "type", "to", "from", "smtp");
          email(body, settings, secret, errors);
        }
      }
    }
    errors.throwIfAny();
    return new Input(name, kind.get(), settings, secret, signing);
  }

  /** The URL a webhook or Slack channel calls; empty for e-mail. */
  public static Optional<URI> url(Input input) {
    return input.secret().hasNonNull("url")
        ? httpUri(input.secret().get("url").asText())
        : Optional.empty();
  }

  private static void only(JsonNode body, ScheduleJson.Errors errors, String... fields) {
    Set<String> known = Set.of(fields);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        errors.add(field, "unknown field; this channel has " + String.join(", ", fields));
      }
    }
  }

  private static void url(
      JsonNode body, ObjectNode settings, ObjectNode secret, ScheduleJson.Errors errors) {
    String url = JsonFields.requiredText(body, "url", "url", 2000, errors);
    if (url == null) {
      return;
    }
    Optional<URI> uri = httpUri(url);
    if (uri.isEmpty()) {
      errors.add(
          "url",
          "must be an http or https URL with a host, such as https://hooks.example.com/alerts");
      return;
    }
    secret.put("url", url);
    settings.put("url", masked(uri.get()));
  }

  /** An http(s) URI with a host, or empty. */
  static Optional<URI> httpUri(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    return Optional.empty();
  }

  /** Scheme, host and port of a URL; its path and query (where tokens live) masked. */
  static String masked(URI uri) {
    String shown =
        uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    boolean more =
        (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
            || uri.getRawQuery() != null;
    return shown + (more ? "/" + MASK : "/");
  }

  private static void headers(
      JsonNode node, ObjectNode settings, ObjectNode secret, ScheduleJson.Errors errors) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject() || node.size() > 20) {
      errors.add("headers", "must be an object of at most 20 header names and values");
      return;
    }
    ObjectNode shown = settings.putObject("headers");
    ObjectNode kept = secret.putObject("headers");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      String path = "headers." + header.getKey();
      if (!HEADER_NAME.matcher(header.getKey()).matches()) {
        errors.add(path, "is not a header name");
        continue;
      }
      String value = JsonFields.requiredText(node, header.getKey(), path, 4000, errors);
      if (value != null && !value.matches("[\\x20-\\x7e]*")) {
        errors.add(path, "must be printable ASCII on one line");
      } else if (value != null) {
        kept.put(header.getKey(), value);
        shown.put(header.getKey(), MASK);
      }
    }
  }

  private static void email(
      JsonNode body, ObjectNode settings, ObjectNode secret, ScheduleJson.Errors errors) {
    JsonNode to = body.get("to");
    if (to == null || !to.isArray() || to.isEmpty() || to.size() > 20) {
      errors.add("to", "must be a list of 1 to 20 e-mail addresses");
    } else {
      var list = settings.putArray("to");
      for (int i = 0; i < to.size(); i++) {
        String address = address(to.get(i), "to[" + i + "]", errors);
        if (address != null) {
          list.add(address);
        }
      }
    }
    String from = address(body.get("from"), "from", errors);
    if (from != null) {
      settings.put("from", from);
    }
    JsonNode smtp = body.get("smtp");
    if (smtp == null || !smtp.isObject()) {
      errors.add(
          "smtp",
          "is required: {\"host\":\"smtp.example.com\",\"port\":587,\"security\":\"starttls\",\"user\":\"...\",\"password\":\"...\"}");
      return;
    }
    only(smtp, errors, "host", "port", "security", "user", "password");
    ObjectNode shown = settings.putObject("smtp");
    String host = JsonFields.requiredText(smtp, "host", "smtp.host", 253, errors);
    if (host != null && !host.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]")) {
      errors.add("smtp.host", "must be a host name or address");
    }
    String security =
        Optional.ofNullable(JsonFields.optionalText(smtp, "security", "smtp.security", 16, errors))
            .orElse("starttls");
    if (!Set.of("starttls", "tls", "none").contains(security)) {
      errors.add(
          "smtp.security",
          "must be starttls (the default: required before any password goes out), tls (implicit TLS, port 465) or none (a local relay only)");
    }
    long port =
        JsonFields.wholeNumber(
            smtp, "port", "smtp.port", 1, 65535, security.equals("tls") ? 465 : 587, errors);
    String user = JsonFields.optionalText(smtp, "user", "smtp.user", 200, errors);
    String password = JsonFields.optionalText(smtp, "password", "smtp.password", 500, errors);
    if (user != null && password == null) {
      errors.add("smtp.password", "is required when smtp.user is given");
    }
    shown.put("host", host);
    shown.put("port", port);
    shown.put("security", security);
    if (user != null) {
      shown.put("user", user);
      shown.put("password", MASK);
      secret.put("password", password);
    }
  }

  private static String address(JsonNode node, String path, ScheduleJson.Errors errors) {
    if (node == null || !node.isTextual()) {
      errors.add(path, "must be an e-mail address such as ops@example.com");
      return null;
    }
    String text = node.textValue();
    if (text.length() > 254
        || !ADDRESS.matcher(text).matches()
        || InputText.lineProblem(text, 254).isPresent()) {
      errors.add(path, "must be an e-mail address such as ops@example.com");
      return null;
    }
    return text;
  }

  /** A channel as the API shows it: its settings, credentials masked. */
  public static ObjectNode view(Channel channel) {
    ObjectNode node = NODES.objectNode();
    node.put("id", channel.id().toString());
    node.put("name", channel.name());
    node.put("type", channel.kind().wireName());
    node.setAll(settings(channel));
    if (channel.kind() == ChannelKind.WEBHOOK) {
      node.put("signing_secret", MASK);
    }
    node.put("created_at", channel.createdAt().toString());
    node.put("updated_at", channel.updatedAt().toString());
    return node;
  }

  /** A channel as its audit events keep it: the API's view. */
  public static String record(Channel channel) {
    return view(channel).toString();
  }

  static ObjectNode settings(Channel channel) {
    try {
      return (ObjectNode) MAPPER.readTree(channel.settingsJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new channel of {@code tenantId} from what a request asked for, its secret sealed. */
  public static Channel channel(Input input, String tenantId, ChannelSecrets secrets, Instant now) {
    UUID id = UUID.randomUUID();
    return new Channel(
        id,
        tenantId,
        input.name(),
        input.kind(),
        input.settings().toString(),
        secrets.seal(input.secret(), tenantId, id),
        now,
        now);
  }

  /** A channel changed by a merge patch, and the URL it now calls (for the address policy). */
  public record Changed(Channel channel, Optional<URI> url) {}

  /**
   * {@code current} changed by a merge patch (RFC 7396) of the fields it was made with, read and
   * checked as a new channel is. Credentials not in the patch stay as they were (a header is
   * removed with {@code null}); its type and a webhook's signing secret stay.
   */
  public static Changed patch(
      Channel current, JsonNode patch, ChannelSecrets secrets, Instant now) {
    if (patch == null || !patch.isObject()) {
      throw new dev.chime.InvalidInputException(
          "body", "a merge patch must be a JSON object of the fields to change");
    }
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (patch.has("type") && !patch.get("type").asText().equals(current.kind().wireName())) {
      errors.add("type", "cannot be changed; make a new channel and point the rules at it");
    }
    for (String field : java.util.List.of("id", "signing_secret", "created_at", "updated_at")) {
      if (patch.has(field)) {
        errors.add(field, "is kept by Chime and cannot be changed");
      }
    }
    errors.throwIfAny();
    JsonNode secret = secrets.open(current);
    ObjectNode base = NODES.objectNode();
    base.put("name", current.name());
    base.put("type", current.kind().wireName());
    ObjectNode settings = settings(current);
    switch (current.kind()) {
      case WEBHOOK, SLACK -> {
        base.set("url", secret.get("url"));
        if (secret.has("headers")) {
          base.set("headers", secret.get("headers"));
        }
      }
      case EMAIL -> {
        base.set("to", settings.get("to"));
        base.set("from", settings.get("from"));
        ObjectNode smtp = settings.path("smtp").deepCopy();
        smtp.remove("password");
        if (secret.has("password")) {
          smtp.set("password", secret.get("password"));
        }
        base.set("smtp", smtp);
      }
    }
    Input input = read(JsonFields.mergePatch(base, patch));
    if (secret.has("signing_secret")) {
      input.secret().set("signing_secret", secret.get("signing_secret"));
    }
    Channel channel =
        new Channel(
            current.id(),
            current.tenantId(),
            input.name(),
            current.kind(),
            input.settings().toString(),
            secrets.seal(input.secret(), current.tenantId(), current.id()),
            current.createdAt(),
            now);
    return new Changed(channel, url(input));
  }
}
