package dev.chime.bench.hot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.ScheduleSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A schedule in Chime's own wire JSON (the API's body and answer): written from its spec, and read
 * back and validated into one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScheduleJsonBench {
  /** A schedule as a user would post it: a cron trigger, a target with headers, a payload. */
  public static final String SCHEDULE =
      """
      {"name": "report-every-10s", "description": "the daily report",
       "labels": {"team": "ops", "env": "prod"},
       "trigger": {"type": "cron", "expr": "0 9 * * 1-5", "timezone": "Europe/Berlin"},
       "target": {"type": "http", "method": "POST", "url": "http://127.0.0.1:9000/hooks/report",
                  "headers": {"X-Team": "ops"}, "timeout_ms": 5000},
       "payload": {"report": "daily", "format": "pdf", "pages": [1, 2, 3]}}
      """;

  private ScheduleSpec spec;

  @Setup
  public void setUp() {
    spec = decode(SCHEDULE);
  }

  @Benchmark
  public String encode() {
    return ScheduleJson.write(ScheduleJson.specJson(spec));
  }

  @Benchmark
  public ScheduleSpec decode() {
    return decode(SCHEDULE);
  }

  static ScheduleSpec decode(String json) {
    JsonNode body = ScheduleJson.parse(json);
    return ScheduleJson.readSpec(body);
  }
}
