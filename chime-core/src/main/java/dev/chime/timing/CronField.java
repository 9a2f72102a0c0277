package dev.chime.timing;

import java.util.List;

/** One parsed field of a cron expression: its items as written plus the values they select. */
record CronField(Kind kind, String text, int position, List<Item> items, long bits) {

  /** The six fields, with their names, ranges and (for month and day-of-week) value names. */
  enum Kind {
    SECOND("second", 0, 59, 60),
    MINUTE("minute", 0, 59, 60),
    HOUR("hour", 0, 23, 24),
    DAY_OF_MONTH("day-of-month", 1, 31, 31),
    MONTH("month", 1, 12, 12),
    /** 0-7, where both 0 and 7 are Sunday; {@code *} and {@code a/n} run up to 6. */
    DAY_OF_WEEK("day-of-week", 0, 7, 7);

    final String label;
    final int min;
    final int max;

    /** The largest step allowed: the number of distinct values in the field. */
    final int maxStep;

    Kind(String label, int min, int max, int maxStep) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.maxStep = maxStep;
    }

    /** The last value that {@code *} and {@code a/n} reach. */
    int starMax() {
      return this == DAY_OF_WEEK ? 6 : max;
    }
  }

  /** What one comma-separated item of a field is. */
  enum Type {
    /** {@code *}. */
    STAR,
    /** {@code ?}: no restriction (day-of-month and day-of-week only). */
    ANY,
    /** {@code *}/step: a=min, b=starMax. */
    STAR_STEP,
    /** A single value a. */
    VALUE,
    /** a-b, possibly with a step (step 1 when none written). */
    RANGE,
    /** a/step: from a up to the field maximum. */
    START_STEP,
    /** Day-of-month {@code L} (a=0) or {@code L-a}: a days before the last day. */
    LAST_DAY,
    /** Day-of-month {@code aW}: the weekday nearest day a, within the month. */
    NEAREST_WEEKDAY,
    /** Day-of-month {@code LW}: the last weekday (Monday-Friday) of the month. */
    LAST_WEEKDAY,
    /** Day-of-week {@code aL}: the last weekday a (0-6) of the month. */
    LAST_DOW,
    /** Day-of-week {@code a#b}: the b-th weekday a (0-6) of the month. */
    NTH_DOW
  }

  /**
   * One list item. For RANGE, {@code a}-{@code b} as written (day-of-week 7 kept as 7) with {@code
   * step}; {@code hasStep} tells whether a step was written.
   */
  record Item(Type type, int a, int b, int step, boolean hasStep) {}

  /**
   * True unless the field starts with {@code *} (as {@code *} or {@code *}{@code /n}) or is {@code
   * ?}.
   */
  boolean restricted() {
    return !(text.startsWith("*") || text.equals("?"));
  }

  /** True when the field allows every value: exactly {@code *} or {@code ?}. */
  boolean isAll() {
    return text.equals("*") || text.equals("?");
  }
}
