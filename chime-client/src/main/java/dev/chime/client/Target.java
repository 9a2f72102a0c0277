package dev.chime.client;

import java.time.Duration;

/**
 * What a schedule does at each instant: call an {@linkplain HttpTarget HTTP target}, or wait for
 * the {@linkplain CheckinTarget check-in} of a job that runs elsewhere. Every shape Chime answers
 * with reads into one of these and writes back unchanged.
 */
public sealed interface Target permits HttpTarget, CheckinTarget {
  /** The wire name of the kind: {@code http} or {@code checkin}. */
  String type();

  /** A POST to {@code url} with Chime's defaults; see {@link HttpTarget#post}. */
  static HttpTarget post(String url) {
    return HttpTarget.post(url);
  }

  /** A check-in whose job must ping within {@code grace} of each instant (whole seconds). */
  static CheckinTarget checkin(Duration grace) {
    return new CheckinTarget(Math.toIntExact(grace.toSeconds()));
  }
}
