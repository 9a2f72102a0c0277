package dev.chime.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.schedule.ScheduleJson.Errors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and writes the JSON shape of an HTTP target, naming every offending field. */
public final class TargetJson {
  public static final int HEADERS_MAX = 50;
  public static final int URL_MAX = 2000;
  public static final int HEADER_VALUE_MAX = 4000;
  private static final int MAX_PORT = 65_535;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final long MAX_TIMEOUT_MS = 600_000;
  public static final long DEFAULT_ASYNC_TIMEOUT_S = 3_600;
  public static final long MAX_ASYNC_TIMEOUT_S = 7 * 86_400;

  private static final Set<String> FORBIDDEN_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization");
  private static final Set<String> CHIME_HEADERS =
      Set.of(
          "idempotency-key",
          "chime-schedule-id",
          "chime-run-id",
          "chime-scheduled-at",
          "chime-attempt",
          "chime-callback-url",
          "chime-callback-token",
          "traceparent");

  /**
   * The Standard Webhooks headers Chime signs every call with. Refused on input only: a schedule
   * stored before they were reserved is still read, and Chime's values replace its own.
   */
  private static final Set<String> SIGNATURE_HEADERS =
      Set.of("webhook-id", "webhook-timestamp", "webhook-signature");

  private TargetJson() {}

  /** Reads an HTTP target; the {@code path} names it in errors. */
  public static HttpTarget read(JsonNode node, String path, Errors errors) {
    if (!node.isObject()) {
      errors.add(path, "must be an object such as {\"type\":\"http\",\"url\":\"https://...\"}");
      return null;
    }
    if (node.path("type").asText("").equals("checkin")) {
      return readCheckin(node, path, errors);
    }
    JsonFields.onlyFields(
        node,
        path,
        errors,
        "type",
        "method",
        "url",
        "headers",
        "timeout_ms",
        "async_timeout_s",
        "body_format");
    String type = JsonFields.optionalText(node, "type", path + ".type", 20, errors);
    if (type != null && !type.equals("http")) {
      errors.add(path + ".type", "must be http or checkin; got '" + type + "'");
    }
    String method = JsonFields.optionalText(node, "method", path + ".method", 10, errors);
    if (method == null) {
      method = "POST";
    } else {
      method = method.toUpperCase(Locale.ROOT);
      if (!HttpTarget.METHODS.contains(method)) {
        errors.add(
            path + ".method",
            "must be one of " + String.join(", ", JsonFields.sorted(HttpTarget.METHODS)));
        method = null;
      }
    }
    URI url = null;
    String urlText = JsonFields.requiredText(node, "url", path + ".url", URL_MAX, errors);
    if (urlText != null) {
      url = readUrl(urlText, path + ".url", errors);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, SecretValue> secrets = new LinkedHashMap<>();
    JsonNode headersNode = node.get("headers");
    if (headersNode != null && !headersNode.isNull()) {
      readHeaders(headersNode, path + ".headers", headers, secrets, errors);
    }
    long timeoutMs =
        JsonFields.wholeNumber(
            node,
            "timeout_ms",
            path + ".timeout_ms",
            1,
            MAX_TIMEOUT_MS,
            DEFAULT_TIMEOUT_MS,
            errors);
    long asyncTimeoutS =
        JsonFields.wholeNumber(
            node,
            "async_timeout_s",
            path + ".async_timeout_s",
            1,
            MAX_ASYNC_TIMEOUT_S,
            DEFAULT_ASYNC_TIMEOUT_S,
            errors);
    HttpTarget.BodyFormat bodyFormat = bodyFormat(node, path + ".body_format", errors);
    if (method == null || url == null) {
      return null;
    }
    return new HttpTarget(
        method,
        url,
        headers,
        Duration.ofMillis(timeoutMs),
        Duration.ofSeconds(asyncTimeoutS),
        secrets,
        bodyFormat);
  }

  private static HttpTarget.BodyFormat bodyFormat(JsonNode node, String path, Errors errors) {
    String text = JsonFields.optionalText(node, "body_format", path, 20, errors);
    if (text == null) {
      return HttpTarget.BodyFormat.PAYLOAD;
    }
    for (HttpTarget.BodyFormat format : HttpTarget.BodyFormat.values()) {
      if (format.wireName().equals(text)) {
        return format;
      }
    }
    errors.add(path, "must be payload or envelope; got '" + text + "'");
    return HttpTarget.BodyFormat.PAYLOAD;
  }

  /** The longest a check-in's run waits for its ping after its instant: a day. */
  public static final long MAX_GRACE_S = 86_400;

  public static final long DEFAULT_GRACE_S = 300;

  private static HttpTarget readCheckin(JsonNode node, String path, Errors errors) {
    JsonFields.onlyFields(node, path, errors, "type", "grace_s");
    long grace =
        JsonFields.wholeNumber(
            node, "grace_s", path + ".grace_s", 1, MAX_GRACE_S, DEFAULT_GRACE_S, errors);
    return HttpTarget.checkin(Duration.ofSeconds(grace));
  }

  private static URI readUrl(String text, String path, Errors errors) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      errors.add(path, "is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
      return null;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      errors.add(path, "must be an http or https URL; got scheme '" + scheme + "'");
      return null;
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      if (url.getRawAuthority() != null && !url.getRawAuthority().isEmpty()) {
        errors.add(
            path,
            "has a host name an HTTP client cannot call: use letters, digits, - and . (a"
                + " non-ASCII name in its xn-- form), and a port from 1 to 65535");
      } else {
        errors.add(path, "must name a host, such as https://example.com/hook");
      }
      return null;
    }
    if (errors.checksInput() && (url.getPort() == 0 || url.getPort() > MAX_PORT)) {
      errors.add(path, "has port " + url.getPort() + "; a port is from 1 to " + MAX_PORT);
      return null;
    }
    if (url.getRawUserInfo() != null) {
      errors.add(path, "must not carry user:password; put credentials in target.headers");
      return null;
    }
    return url;
  }

  private static void readHeaders(
      JsonNode node,
      String path,
      Map<String, String> headers,
      Map<String, SecretValue> secrets,
      Errors errors) {
    if (!node.isObject()) {
      errors.add(
          path,
          "must be an object of header names to values: a string, or {\"value\": \"...\","
              + " \"secret\": true} for a secret");
      return;
    }
    if (node.size() > HEADERS_MAX) {
      errors.add(path, "at most " + HEADERS_MAX + " headers, got " + node.size());
      return;
    }
    Map<String, String> seen = new java.util.HashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      String fieldPath = path + "." + name;
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}")) {
        errors.add(
            fieldPath,
            "is not a valid header name: 1 to 100 ASCII letters, digits and !#$%&'*+.^_`|~-");
      } else if (FORBIDDEN_HEADERS.contains(lower)) {
        errors.add(fieldPath, "is managed by the HTTP client and cannot be set");
      } else if (CHIME_HEADERS.contains(lower)
          || (errors.checksInput() && SIGNATURE_HEADERS.contains(lower))) {
        errors.add(fieldPath, "is set by Chime on every call and cannot be overridden");
      } else if (errors.checksInput() && seen.containsKey(lower)) {
        errors.add(
            fieldPath,
            "repeats the header " + seen.get(lower) + " (header names are not case-sensitive)");
      } else if (entry.getValue().isObject()) {
        readObjectHeader(name, entry.getValue(), fieldPath, headers, secrets, errors);
      } else if (!entry.getValue().isTextual()) {
        errors.add(
            fieldPath, "must be a string, or {\"value\": \"...\", \"secret\": true} for a secret");
      } else {
        String value = entry.getValue().textValue();
        String problem = errors.checksInput() ? headerValueProblem(value) : null;
        if (problem != null) {
          errors.add(fieldPath, problem);
        } else {
          headers.put(name, value);
        }
      }
      seen.putIfAbsent(lower, name);
    }
  }

  /**
   * A header given as an object: {@code {"value": "...", "secret": true}} on input ({@code
   * "secret"} false or absent makes it a plain header; the value {@link SecretValue#MASK} keeps the
   * stored secret), or {@code {"secret": true, "sealed": "..."}} as the database keeps a secret.
   */
  private static void readObjectHeader(
      String name,
      JsonNode node,
      String path,
      Map<String, String> headers,
      Map<String, SecretValue> secrets,
      Errors errors) {
    if (!errors.checksInput() && node.has("sealed")) {
      secrets.put(name, new SecretValue.Sealed(node.get("sealed").asText()));
      return;
    }
    JsonFields.onlyFields(node, path, errors, "value", "secret");
    JsonNode secretNode = node.get("secret");
    boolean secret = false;
    if (secretNode != null && !secretNode.isNull()) {
      if (secretNode.isBoolean()) {
        secret = secretNode.booleanValue();
      } else {
        errors.add(path + ".secret", "must be true or false");
      }
    }
    JsonNode valueNode = node.get("value");
    if (valueNode == null || valueNode.isNull()) {
      errors.add(path + ".value", "is required");
      return;
    }
    if (!valueNode.isTextual()) {
      errors.add(path + ".value", "must be a string");
      return;
    }
    String value = valueNode.textValue();
    if (secret && value.equals(SecretValue.MASK)) {
      secrets.put(name, new SecretValue.Kept());
      return;
    }
    String problem = errors.checksInput() ? headerValueProblem(value) : null;
    if (problem != null) {
      // the reason says what is wrong with the text, never the text itself
      errors.add(path + ".value", problem);
    } else if (secret) {
      secrets.put(name, new SecretValue.Given(value));
    } else {
      headers.put(name, value);
    }
  }

  /**
   * Why the HTTP clients cannot make a request of this target, or empty: for targets stored before
   * Chime checked this on input, which are otherwise read as they are.
   */
  public static java.util.Optional<String> unsendable(HttpTarget target) {
    int port = target.url().getPort();
    if (port == 0 || port > MAX_PORT) {
      return java.util.Optional.of(
          "the URL has port " + port + "; a port is from 1 to " + MAX_PORT);
    }
    for (Map.Entry<String, String> header : target.headers().entrySet()) {
      String problem = headerValueProblem(header.getValue());
      if (problem != null) {
        return java.util.Optional.of("the header " + header.getKey() + " " + problem);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Why a header value cannot go out as it is, or null: both HTTP clients refuse line breaks and
   * control characters, and non-ASCII text is sent differently by each (or refused).
   */
  private static String headerValueProblem(String value) {
    if (value.length() > HEADER_VALUE_MAX) {
      return "must be at most " + HEADER_VALUE_MAX + " characters, got " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        return "must be one line: found a line break at character " + (i + 1);
      }
      if ((c < 0x20 && c != '\t') || c >= 0x7F) {
        return String.format(
            Locale.ROOT,
            "must be printable ASCII (letters, digits, punctuation, spaces): found U+%04X at"
                + " character %d",
            value.codePointAt(i),
            value.codePointCount(0, i) + 1);
      }
    }
    return null;
  }

  /**
   * The JSON form of a target as the API shows it: each secret header as {@code {"value": "****",
   * "secret": true}}, which a client may send back to keep the secret.
   */
  public static ObjectNode write(HttpTarget target) {
    ObjectNode node = common(target);
    if (target.isCheckin()) {
      return node;
    }
    ObjectNode headers = (ObjectNode) node.get("headers");
    target
        .secretHeaders()
        .keySet()
        .forEach(
            name -> headers.putObject(name).put("value", SecretValue.MASK).put("secret", true));
    return sortedHeaders(node);
  }

  /**
   * The JSON form of a target as the database keeps it: each secret header as {@code {"secret":
   * true, "sealed": "..."}}. Throws if a secret is not sealed yet: no secret is ever stored as
   * text.
   */
  public static String toStored(HttpTarget target) {
    ObjectNode node = common(target);
    if (target.isCheckin()) {
      return ScheduleJson.write(node);
    }
    ObjectNode headers = (ObjectNode) node.get("headers");
    target
        .secretHeaders()
        .forEach(
            (name, value) -> {
              if (!(value instanceof SecretValue.Sealed sealed)) {
                throw new IllegalStateException(
                    "the secret header " + name + " must be sealed before it is stored");
              }
              headers.putObject(name).put("secret", true).put("sealed", sealed.sealed());
            });
    return ScheduleJson.write(sortedHeaders(node));
  }

  private static ObjectNode common(HttpTarget target) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", target.type());
    if (target.isCheckin()) {
      node.put("grace_s", target.asyncTimeout().toSeconds());
      return node;
    }
    node.put("method", target.method());
    node.put("url", target.url().toString());
    ObjectNode headers = node.putObject("headers");
    target.headers().forEach(headers::put);
    node.put("timeout_ms", target.timeout().toMillis());
    node.put("async_timeout_s", target.asyncTimeout().toSeconds());
    // shown only when it is not the default, so targets written before it read as they did
    if (target.bodyFormat() != HttpTarget.BodyFormat.PAYLOAD) {
      node.put("body_format", target.bodyFormat().wireName());
    }
    return node;
  }

  /** Headers in name order, so that one target always has one text (the engine caches by it). */
  private static ObjectNode sortedHeaders(ObjectNode node) {
    java.util.TreeMap<String, JsonNode> byName = new java.util.TreeMap<>();
    node.get("headers").properties().forEach(e -> byName.put(e.getKey(), e.getValue()));
    ObjectNode sorted = node.putObject("headers");
    byName.forEach(sorted::set);
    return node;
  }

  /** Reads a target that Chime stored. */
  public static HttpTarget stored(String json) {
    Errors errors = Errors.forStored();
    HttpTarget target = read(ScheduleJson.parse(json), "target", errors);
    errors.throwIfAny();
    return target;
  }
}
