package dev.chime.bench.hot;

import com.cronutils.model.time.ExecutionTime;
import dev.chime.timing.CronExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The next fire of a cron expression, Chime's {@link CronExpression#nextAfter} against cron-utils'
 * {@code ExecutionTime.nextExecution}, on the same expressions after the same instants ({@link
 * CronCases}; {@code CronAgreementTest} checks that both give the same answers). Each operation is
 * one next fire, after the next of 64 start instants in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CronBench {
  @Param({
    "weekdays_9",
    "every_5_min",
    "last_day",
    "weekday_nearest_15",
    "third_friday",
    "weekdays_9_new_york",
    "every_5_min_new_york",
    "last_day_berlin",
    "third_friday_berlin"
  })
  public String expression;

  private CronExpression chime;
  private ExecutionTime cronUtils;
  private ZoneId zone;
  private Instant[] starts;
  private ZonedDateTime[] zonedStarts;
  private int next;

  @Setup
  public void setUp() {
    CronCases.Case c = CronCases.named(expression);
    chime = CronCases.chime(c);
    cronUtils = CronCases.cronUtils(c);
    zone = c.zone();
    List<Instant> list = CronCases.starts();
    starts = list.toArray(Instant[]::new);
    zonedStarts = list.stream().map(at -> at.atZone(c.zone())).toArray(ZonedDateTime[]::new);
  }

  @Benchmark
  public Optional<Instant> chime() {
    return chime.nextAfter(starts[next++ & (CronCases.STARTS - 1)], zone);
  }

  @Benchmark
  public Optional<ZonedDateTime> cronUtils() {
    return cronUtils.nextExecution(zonedStarts[next++ & (CronCases.STARTS - 1)]);
  }
}
