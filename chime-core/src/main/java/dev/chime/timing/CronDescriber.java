package dev.chime.timing;

import dev.chime.timing.CronField.Item;
import dev.chime.timing.CronField.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * English descriptions of cron expressions, in the style of cronstrue ("At 09:00, Monday through
 * Friday"). Common shapes get tailored sentences; anything else falls back to describing each list
 * item plainly, so the result is always a sentence.
 */
final class CronDescriber {

  private static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final String[] DAYS = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
  };
  private static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth"};

  private CronDescriber() {}

  static String describe(CronField[] f, boolean hasSeconds, String macro) {
    List<String> parts = new ArrayList<>();
    parts.add(time(f[0], f[1], f[2]));
    CronField dom = f[3];
    CronField dow = f[5];
    if (!dom.isAll() && !dow.isAll()) {
      String join = dom.restricted() && dow.restricted() ? " or " : " and ";
      parts.add(dayOfMonth(dom) + join + dayOfWeek(dow, false));
    } else if (!dom.isAll()) {
      parts.add(dayOfMonth(dom));
    } else if (!dow.isAll()) {
      parts.add(dayOfWeek(dow, true));
    }
    if (!f[4].isAll()) {
      parts.add(month(f[4]));
    }
    String sentence = String.join(", ", parts);
    return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  // ---- time of day ----

  private static String time(CronField sec, CronField min, CronField hour) {
    boolean secZero = isSingle(sec) && value(sec) == 0;
    if (isSingle(sec) && isSingle(min) && isSingle(hour)) {
      return "at " + clock(value(hour), value(min), value(sec));
    }
    if (isSingle(sec) && allValues(min) && allValues(hour)) {
      int count = min.items().size() * hour.items().size();
      if (count <= 8) {
        TreeSet<Integer> times = new TreeSet<>();
        for (Item h : hour.items()) {
          for (Item m : min.items()) {
            times.add(h.a() * 60 + m.a());
          }
        }
        List<String> clocks = new ArrayList<>();
        for (int t : times) {
          clocks.add(clock(t / 60, t % 60, value(sec)));
        }
        return "at " + join(clocks);
      }
    }
    List<String> parts = new ArrayList<>();
    if (secZero && isSingle(min) && value(min) == 0) {
      // On the hour: describe the hours.
      parts.add(onTheHour(hour));
      return String.join(", ", parts);
    }
    if (!secZero) {
      parts.add(unitPhrase(sec, "second", "minute"));
    }
    if (!(min.text().equals("*") && !secZero)) {
      parts.add(unitPhrase(min, "minute", "hour"));
    }
    String hours = hourRestriction(hour);
    if (hours != null) {
      parts.add(hours);
    }
    return String.join(", ", parts);
  }

  private static String onTheHour(CronField hour) {
    if (hour.items().size() == 1) {
      Item it = hour.items().get(0);
      switch (it.type()) {
        case STAR -> {
          return "every hour";
        }
        case STAR_STEP -> {
          return "every " + it.step() + " hours";
        }
        case RANGE -> {
          return (it.hasStep() ? "every " + it.step() + " hours" : "every hour")
              + ", between "
              + clock(it.a(), 0, 0)
              + " and "
              + clock(it.b(), 59, 0);
        }
        case START_STEP -> {
          return "every " + it.step() + " hours, starting at " + clock(it.a(), 0, 0);
        }
        default -> {}
      }
    }
    return "at 0 minutes past the hour, " + hourRestriction(hour);
  }

  /** Seconds within the minute or minutes within the hour. */
  private static String unitPhrase(CronField field, String unit, String outer) {
    if (allValues(field)) {
      List<String> values = new ArrayList<>();
      for (Item it : field.items()) {
        values.add(Integer.toString(it.a()));
      }
      boolean one = values.size() == 1 && field.items().get(0).a() == 1;
      return "at " + join(values) + " " + unit + (one ? "" : "s") + " past the " + outer;
    }
    List<String> phrases = new ArrayList<>();
    for (Item it : field.items()) {
      phrases.add(
          switch (it.type()) {
            case STAR, ANY -> "every " + unit;
            case STAR_STEP -> "every " + it.step() + " " + unit + "s";
            case VALUE ->
                "at " + it.a() + " " + unit + (it.a() == 1 ? "" : "s") + " past the " + outer;
            case RANGE ->
                (it.hasStep() ? "every " + it.step() + " " + unit + "s, " : "")
                    + unit
                    + "s "
                    + it.a()
                    + " through "
                    + it.b()
                    + " past the "
                    + outer;
            case START_STEP ->
                "every "
                    + it.step()
                    + " "
                    + unit
                    + "s, starting at "
                    + it.a()
                    + " "
                    + unit
                    + (it.a() == 1 ? "" : "s")
                    + " past the "
                    + outer;
            default -> field.text();
          });
    }
    return join(phrases);
  }

  /** A restriction on hours, or null when every hour is allowed. */
  private static String hourRestriction(CronField hour) {
    if (hour.text().equals("*")) {
      return null;
    }
    if (allValues(hour) && hour.items().size() > 1) {
      List<String> values = new ArrayList<>();
      for (Item it : hour.items()) {
        values.add(twoDigits(it.a()));
      }
      return "during hours " + join(values);
    }
    List<String> phrases = new ArrayList<>();
    for (Item it : hour.items()) {
      phrases.add(
          switch (it.type()) {
            case STAR, ANY -> "every hour";
            case STAR_STEP -> "every " + it.step() + " hours";
            case VALUE -> "between " + clock(it.a(), 0, 0) + " and " + clock(it.a(), 59, 0);
            case RANGE ->
                (it.hasStep() ? "every " + it.step() + " hours, " : "")
                    + "between "
                    + clock(it.a(), 0, 0)
                    + " and "
                    + clock(it.b(), 59, 0);
            case START_STEP -> "every " + it.step() + " hours, starting at " + clock(it.a(), 0, 0);
            default -> hour.text();
          });
    }
    return join(phrases);
  }

  // ---- days ----

  private static String dayOfMonth(CronField dom) {
    if (allValues(dom)) {
      List<String> values = new ArrayList<>();
      for (Item it : dom.items()) {
        values.add(Integer.toString(it.a()));
      }
      return "on day" + (values.size() == 1 ? " " : "s ") + join(values) + " of the month";
    }
    List<String> phrases = new ArrayList<>();
    for (Item it : dom.items()) {
      phrases.add(
          switch (it.type()) {
            case STAR, ANY -> "every day";
            case STAR_STEP -> "every " + it.step() + " days";
            case VALUE -> "on day " + it.a() + " of the month";
            case RANGE ->
                (it.hasStep() ? "every " + it.step() + " days, " : "")
                    + "between day "
                    + it.a()
                    + " and "
                    + it.b()
                    + " of the month";
            case START_STEP ->
                "every " + it.step() + " days, starting on day " + it.a() + " of the month";
            case LAST_DAY ->
                it.a() == 0
                    ? "on the last day of the month"
                    : it.a()
                        + (it.a() == 1 ? " day" : " days")
                        + " before the last day of the month";
            case NEAREST_WEEKDAY -> "on the weekday nearest day " + it.a() + " of the month";
            case LAST_WEEKDAY -> "on the last weekday of the month";
            default -> "on days " + dom.text();
          });
    }
    return join(phrases);
  }

  private static String dayOfWeek(CronField dow, boolean alone) {
    String only = alone ? "only on " : "on ";
    if (allValues(dow)) {
      List<String> names = new ArrayList<>();
      for (Item it : dow.items()) {
        names.add(DAYS[it.a() % 7]);
      }
      return only + join(names);
    }
    List<String> phrases = new ArrayList<>();
    for (Item it : dow.items()) {
      phrases.add(
          switch (it.type()) {
            case STAR, ANY -> "every day";
            case VALUE -> only + DAYS[it.a() % 7];
            case RANGE ->
                it.hasStep()
                    ? only + listDays(it)
                    : (alone ? "" : "on ") + DAYS[it.a() % 7] + " through " + DAYS[it.b() % 7];
            case STAR_STEP, START_STEP -> only + listDays(it);
            case LAST_DOW -> "on the last " + DAYS[it.a()] + " of the month";
            case NTH_DOW -> "on the " + ORDINALS[it.b() - 1] + " " + DAYS[it.a()] + " of the month";
            default -> "on days of the week " + dow.text();
          });
    }
    return join(phrases);
  }

  private static String listDays(Item it) {
    TreeSet<Integer> days = new TreeSet<>();
    int to = it.type() == Type.RANGE ? it.b() : Math.max(it.a(), 6);
    for (int v = it.a(); v <= to; v += it.step()) {
      days.add(v % 7);
    }
    List<String> names = new ArrayList<>();
    for (int d : days) {
      names.add(DAYS[d]);
    }
    return join(names);
  }

  // ---- months ----

  private static String month(CronField month) {
    if (allValues(month)) {
      List<String> names = new ArrayList<>();
      for (Item it : month.items()) {
        names.add(MONTHS[it.a() - 1]);
      }
      return "only in " + join(names);
    }
    List<String> phrases = new ArrayList<>();
    for (Item it : month.items()) {
      phrases.add(
          switch (it.type()) {
            case STAR -> "every month";
            case STAR_STEP -> "every " + it.step() + " months";
            case VALUE -> "only in " + MONTHS[it.a() - 1];
            case RANGE ->
                (it.hasStep() ? "every " + it.step() + " months, " : "")
                    + MONTHS[it.a() - 1]
                    + " through "
                    + MONTHS[it.b() - 1];
            case START_STEP -> "every " + it.step() + " months, starting in " + MONTHS[it.a() - 1];
            default -> "in months " + month.text();
          });
    }
    return join(phrases);
  }

  // ---- helpers ----

  private static boolean isSingle(CronField f) {
    return f.items().size() == 1 && f.items().get(0).type() == Type.VALUE;
  }

  private static boolean allValues(CronField f) {
    for (Item it : f.items()) {
      if (it.type() != Type.VALUE) {
        return false;
      }
    }
    return true;
  }

  private static int value(CronField f) {
    return f.items().get(0).a();
  }

  private static String clock(int hour, int minute, int second) {
    return twoDigits(hour) + ":" + twoDigits(minute) + (second == 0 ? "" : ":" + twoDigits(second));
  }

  private static String twoDigits(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  /** "a", "a and b", "a, b and c". */
  private static String join(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }
}
