package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client's records as the API's JSON, for programs that keep schedules in files or print what
 * the client read. Any tree Jackson reads works, so a YAML document read by jackson-dataformat-yaml
 * is a schedule too.
 */
public final class ChimeJson {
  private ChimeJson() {}

  /**
   * Reads a schedule spec as {@code POST /api/v1/schedules} takes it: what is left out takes
   * Chime's default, the members Chime keeps ({@code id}, {@code next_fire_at}, ...) are ignored,
   * and an unknown member is an error.
   *
   * @throws InvalidSpecException naming every offending field
   */
  public static ScheduleSpec readSpec(JsonNode node) {
    return SpecCodec.read(node, true);
  }

  /** A spec with every member, defaults included, as the API shows it. */
  public static ObjectNode write(ScheduleSpec spec) {
    return SpecCodec.write(spec, false);
  }

  /** A spec without the members that hold Chime's defaults: for files people read. */
  public static ObjectNode writeCompact(ScheduleSpec spec) {
    return SpecCodec.write(spec, true);
  }

  /** Reads a schedule as the API answers it. */
  public static Schedule readSchedule(JsonNode node) {
    return AnswerCodec.schedule(node);
  }

  /** A schedule as the API answers it. */
  public static ObjectNode write(Schedule schedule) {
    return AnswerCodec.write(schedule);
  }

  /** Reads a run as the API answers it. */
  public static Run readRun(JsonNode node) {
    return AnswerCodec.run(node);
  }

  /** A run as the API answers it. */
  public static ObjectNode write(Run run) {
    return AnswerCodec.write(run);
  }

  /** A trigger as the API takes it. */
  public static ObjectNode write(Trigger trigger) {
    return SpecCodec.write(trigger);
  }

  /** A target as the API takes it, every member included (a secret header as Chime showed it). */
  public static ObjectNode write(Target target) {
    return SpecCodec.write(target, false);
  }

  /** A retry policy as the API takes it. */
  public static ObjectNode write(RetryPolicy policy) {
    return SpecCodec.write(policy);
  }

  /** A cron preview as the API answers it. */
  public static ObjectNode write(CronPreview preview) {
    return AnswerCodec.write(preview);
  }

  /** A bulk result as the API answers it. */
  public static ObjectNode write(BulkResult result) {
    return AnswerCodec.write(result);
  }
}
