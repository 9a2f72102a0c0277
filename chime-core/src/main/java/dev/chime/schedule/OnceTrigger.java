package dev.chime.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One fire at {@code at}. */
public record OnceTrigger(Instant at) implements Trigger {
  public OnceTrigger {
    Objects.requireNonNull(at, "at");
  }

  @Override
  public String type() {
    return "once";
  }

  @Override
  public Optional<Instant> first(Instant now) {
    return Optional.of(at);
  }

  @Override
  public Optional<Instant> next(Instant previous) {
    return Optional.empty();
  }

  @Override
  public Optional<Instant> skipMissed(Instant previous, Instant now) {
    return Optional.empty();
  }
}
