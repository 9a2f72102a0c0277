package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

/** {@link Chime} over the REST API. */
final class HttpChime implements Chime {
  private static final String JSON = "application/json";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String SCHEDULES = "/api/v1/schedules";
  private static final String RUNS = "/api/v1/runs/";

  private final Transport transport;

  HttpChime(ClientSettings settings) {
    this.transport = new Transport(settings);
  }

  @Override
  public Schedule createSchedule(ScheduleSpec spec) {
    return AnswerCodec.schedule(post(SCHEDULES, Optional.of(ChimeJson.write(spec))));
  }

  @Override
  public Schedule getSchedule(UUID id) {
    return AnswerCodec.schedule(get(SCHEDULES + "/" + id));
  }

  @Override
  public Optional<Schedule> findSchedule(String name) {
    // the name filter matches a part of the name, in any case: pick the exact one
    return listSchedules(ScheduleQuery.all().withName(name).withPageSize(500)).stream()
        .filter(schedule -> schedule.name().equals(name))
        .findFirst();
  }

  @Override
  public Listing<Schedule> listSchedules(ScheduleQuery query) {
    return new Listing<>(
        cursor -> {
          Query params = new Query();
          query.enabled().ifPresent(enabled -> params.add("enabled", enabled.toString()));
          query.name().ifPresent(name -> params.add("name", name));
          query.text().ifPresent(text -> params.add("q", text));
          query.label().ifPresent(label -> params.add("label", label));
          query.lastStatus().ifPresent(status -> params.add("last_status", status));
          params.add("limit", Integer.toString(query.pageSize()));
          cursor.ifPresent(next -> params.add("cursor", next));
          return AnswerCodec.page(get(SCHEDULES + params), AnswerCodec::schedule);
        });
  }

  @Override
  public Schedule updateSchedule(UUID id, ScheduleSpec spec) {
    return AnswerCodec.schedule(
        transport.call("PUT", SCHEDULES + "/" + id, Optional.of(ChimeJson.write(spec)), JSON));
  }

  @Override
  public Schedule patchSchedule(UUID id, SchedulePatch patch) {
    return AnswerCodec.schedule(
        transport.call("PATCH", SCHEDULES + "/" + id, Optional.of(patch.json()), MERGE_PATCH));
  }

  @Override
  public void deleteSchedule(UUID id) {
    transport.call("DELETE", SCHEDULES + "/" + id, Optional.empty(), JSON);
  }

  @Override
  public Schedule enableSchedule(UUID id) {
    return AnswerCodec.schedule(post(SCHEDULES + "/" + id + "/enable", Optional.empty()));
  }

  @Override
  public Schedule disableSchedule(UUID id) {
    return AnswerCodec.schedule(post(SCHEDULES + "/" + id + "/disable", Optional.empty()));
  }

  @Override
  public Run runNow(UUID scheduleId) {
    return AnswerCodec.run(post(SCHEDULES + "/" + scheduleId + "/run-now", Optional.empty()));
  }

  @Override
  public Listing<Run> listRuns(UUID scheduleId, int pageSize) {
    if (pageSize < 1 || pageSize > 500) {
      throw new IllegalArgumentException("page size must be 1-500, got " + pageSize);
    }
    return new Listing<>(
        cursor -> {
          Query params = new Query().add("limit", Integer.toString(pageSize));
          cursor.ifPresent(next -> params.add("cursor", next));
          return AnswerCodec.page(
              get(SCHEDULES + "/" + scheduleId + "/runs" + params), AnswerCodec::run);
        });
  }

  @Override
  public Run getRun(UUID runId) {
    return AnswerCodec.run(get(RUNS + runId));
  }

  @Override
  public Run retryRun(UUID runId) {
    return AnswerCodec.run(post(RUNS + runId + "/retry", Optional.empty()));
  }

  @Override
  public Run cancelRun(UUID runId) {
    return AnswerCodec.run(post(RUNS + runId + "/cancel", Optional.empty()));
  }

  @Override
  public CronPreview previewCron(String expr, String timezone, int count) {
    Query params =
        new Query()
            .add("expr", expr)
            .add("timezone", timezone)
            .add("count", Integer.toString(count));
    return AnswerCodec.preview(get("/api/v1/cron/preview" + params));
  }

  @Override
  public BulkResult bulk(BulkRequest request) {
    return AnswerCodec.bulk(post(SCHEDULES + "/bulk", Optional.of(AnswerCodec.write(request))));
  }

  @Override
  public TokenInfo currentToken() {
    return AnswerCodec.token(get("/api/v1/tokens/current"));
  }

  @Override
  public void close() {
    transport.close();
  }

  private JsonNode get(String path) {
    return transport.call("GET", path, Optional.empty(), JSON);
  }

  private JsonNode post(String path, Optional<JsonNode> body) {
    return transport.call("POST", path, body, JSON);
  }

  /** A query string, each value encoded. */
  private static final class Query {
    private final StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");

    Query add(String name, String value) {
      joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
      return this;
    }

    @Override
    public String toString() {
      return joined.toString();
    }
  }
}
