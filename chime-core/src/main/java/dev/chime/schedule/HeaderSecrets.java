package dev.chime.schedule;

import dev.chime.InvalidInputException;
import dev.chime.secret.SecretBox;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Seals the secret headers of a target as the API takes them, and opens them for the call that
 * sends them. Each value is sealed for its tenant and header name, so that it opens for that header
 * of that tenant's schedules alone.
 */
public final class HeaderSecrets {
  private HeaderSecrets() {}

  /**
   * The spec with every secret header sealed: a {@link SecretValue.Given} value is sealed anew; a
   * {@link SecretValue.Kept} one (the mask sent back) takes the sealed value the header of that
   * name has in {@code current}, or is refused when it has none.
   */
  public static ScheduleSpec seal(
      SecretBox box, String tenantId, ScheduleSpec spec, Optional<ScheduleSpec> current) {
    HttpTarget target = spec.target();
    if (target.secretHeaders().isEmpty()) {
      return spec;
    }
    Map<String, SecretValue> stored = new LinkedHashMap<>();
    current.ifPresent(
        c -> c.target().secretHeaders().forEach((name, value) -> stored.put(lower(name), value)));
    Map<String, SecretValue> sealed = new LinkedHashMap<>();
    for (Map.Entry<String, SecretValue> header : target.secretHeaders().entrySet()) {
      String name = header.getKey();
      SecretValue value =
          switch (header.getValue()) {
            case SecretValue.Given given ->
                new SecretValue.Sealed(box.seal(given.text(), context(tenantId, name)));
            case SecretValue.Kept kept -> kept(stored.get(lower(name)), name);
            case SecretValue.Sealed already -> already;
          };
      sealed.put(name, value);
    }
    return new ScheduleSpec(
        spec.name(),
        spec.description(),
        spec.enabled(),
        spec.trigger(),
        target.withSecretHeaders(sealed),
        spec.payloadJson(),
        spec.policy(),
        spec.labels());
  }

  private static SecretValue kept(SecretValue stored, String name) {
    if (stored instanceof SecretValue.Sealed sealed) {
      return sealed;
    }
    throw new InvalidInputException(
        "target.headers." + name,
        "sends the mask "
            + SecretValue.MASK
            + " to keep a stored secret, but this schedule has no secret header "
            + name
            + "; send its value");
  }

  /**
   * The target as it goes on the wire: every secret header opened and added to the plain ones.
   * Throws {@link SecretBox.UnreadableSecret} naming the header when one does not open.
   */
  public static HttpTarget open(SecretBox box, String tenantId, HttpTarget target) {
    if (target.secretHeaders().isEmpty()) {
      return target;
    }
    Map<String, String> headers = new LinkedHashMap<>(target.headers());
    target
        .secretHeaders()
        .forEach(
            (name, value) -> {
              if (!(value instanceof SecretValue.Sealed sealed)) {
                throw new IllegalStateException("the secret header " + name + " is not sealed");
              }
              try {
                headers.put(name, box.open(sealed.sealed(), context(tenantId, name)));
              } catch (SecretBox.UnreadableSecret e) {
                throw new SecretBox.UnreadableSecret(
                    "the secret header " + name + " cannot be opened: " + e.getMessage());
              }
            });
    return new HttpTarget(
        target.method(),
        target.url(),
        headers,
        target.timeout(),
        target.asyncTimeout(),
        Map.of(),
        target.bodyFormat());
  }

  private static String context(String tenantId, String name) {
    return "target-header:" + tenantId + ":" + lower(name);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
