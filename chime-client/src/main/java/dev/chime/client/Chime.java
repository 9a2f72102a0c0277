package dev.chime.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A client of one Chime server's REST API, acting in the tenant of its token. Thread-safe; close it
 * when done. Every call either returns what Chime answered or throws a {@link ChimeException}: a
 * {@link ChimeApiException} subclass for an error answer, {@link ChimeConnectionException} when
 * none came.
 *
 * <pre>{@code
 * try (Chime chime = Chime.create("http://localhost:8080", token)) {
 *   Schedule report = chime.createSchedule(
 *       ScheduleSpec.builder("weekday-report", Trigger.cron("0 9 * * 1-5", "Asia/Shanghai"),
 *               HttpTarget.post("https://example.com/hooks/report"))
 *           .label("team", "sales")
 *           .build());
 *   chime.listSchedules(ScheduleQuery.all().withLabel("team=sales")).forEach(System.out::println);
 * }
 * }</pre>
 */
public interface Chime extends AutoCloseable {
  /** A client of the server at {@code baseUrl} (such as {@code http://localhost:8080}). */
  static Chime create(String baseUrl, String token) {
    return builder(baseUrl).token(token).build();
  }

  /** A builder for a client with its own timeouts and retries. */
  static Builder builder(String baseUrl) {
    return new Builder(URI.create(baseUrl));
  }

  /** Makes a schedule; its name must be new in the tenant. */
  Schedule createSchedule(ScheduleSpec spec);

  /** One schedule. */
  Schedule getSchedule(UUID id);

  /** The schedule with exactly this name, if the tenant has one. */
  Optional<Schedule> findSchedule(String name);

  /** The schedules the query matches, in creation order, fetched a page at a time. */
  Listing<Schedule> listSchedules(ScheduleQuery query);

  /** Replaces the whole schedule (PUT): what the spec leaves at its default becomes the default. */
  Schedule updateSchedule(UUID id, ScheduleSpec spec);

  /** Changes the fields the patch sets (JSON merge patch). */
  Schedule patchSchedule(UUID id, SchedulePatch patch);

  /** Deletes the schedule and its runs. */
  void deleteSchedule(UUID id);

  /** Switches it on; Chime checks the tenant's limits. */
  Schedule enableSchedule(UUID id);

  /** Switches it off. */
  Schedule disableSchedule(UUID id);

  /** Queues a run for now (also of a disabled schedule), without moving its rhythm. */
  Run runNow(UUID scheduleId);

  /** The schedule's runs, newest first, fetched {@code pageSize} (1–500) at a time. */
  Listing<Run> listRuns(UUID scheduleId, int pageSize);

  /** One run. */
  Run getRun(UUID runId);

  /** Queues another attempt of a failed, timed-out or cancelled run. */
  Run retryRun(UUID runId);

  /** Cancels a queued run, or a running one its target accepted with 202. */
  Run cancelRun(UUID runId);

  /** What a cron expression means, and its next {@code count} (1–100) fires in the zone. */
  CronPreview previewCron(String expr, String timezone, int count);

  /** One action on many schedules. */
  BulkResult bulk(BulkRequest request);

  /** The token this client calls with: its tenant, name and scopes. */
  TokenInfo currentToken();

  /** Releases the HTTP client. */
  @Override
  void close();

  /**
   * Builds a {@link Chime} client. Defaults: connect timeout 5 s, request timeout 30 s, three
   * attempts for GET, PUT and DELETE (200 ms, then 400 ms apart, or the {@code Retry-After} Chime
   * asks for when that is at most 10 s).
   */
  final class Builder {
    private final URI baseUrl;
    private Optional<String> token = Optional.empty();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(200);
    private Duration maxRetryWait = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder(URI baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The API token, sent as {@code Authorization: Bearer <token>}. */
    public Builder token(String token) {
      this.token = Optional.of(token);
      return this;
    }

    /** How long connecting may take. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long one request may wait for its answer. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Attempts in all for an idempotent call; 1 turns retries off. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the first retry; it doubles at each one, up to 5 s. */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = backoff;
      return this;
    }

    /** The longest {@code Retry-After} the client waits out; a longer one is thrown at once. */
    public Builder maxRetryWait(Duration wait) {
      this.maxRetryWait = wait;
      return this;
    }

    /** The clock an HTTP-date {@code Retry-After} is measured on. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalArgumentException for a base URL that is not http(s), or a setting out of
     *     range
     */
    public Chime build() {
      return new HttpChime(
          new ClientSettings(
              baseUrl,
              token,
              connectTimeout,
              requestTimeout,
              maxAttempts,
              retryBackoff,
              maxRetryWait,
              clock));
    }
  }
}
