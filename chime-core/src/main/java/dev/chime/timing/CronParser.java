package dev.chime.timing;

import dev.chime.timing.CronField.Item;
import dev.chime.timing.CronField.Kind;
import dev.chime.timing.CronField.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns cron text into six {@link CronField}s, reporting errors with field and position. */
final class CronParser {

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final String[] MONTH_NAMES = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private static final Kind[] FIVE = {
    Kind.MINUTE, Kind.HOUR, Kind.DAY_OF_MONTH, Kind.MONTH, Kind.DAY_OF_WEEK
  };
  private static final Kind[] SIX = {
    Kind.SECOND, Kind.MINUTE, Kind.HOUR, Kind.DAY_OF_MONTH, Kind.MONTH, Kind.DAY_OF_WEEK
  };

  /** The result: the six fields (second first) and whether seconds were written. */
  record Parsed(CronField[] fields, boolean hasSeconds, String macro) {}

  private CronParser() {}

  /** Parses already-trimmed text. */
  static Parsed parse(String text) {
    if (text.isEmpty()) {
      throw new CronSyntaxException(0, "expression", "expression is empty");
    }
    if (text.charAt(0) == '@') {
      String expansion = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (expansion == null) {
        throw new CronSyntaxException(
            0,
            "expression",
            "unknown macro "
                + text
                + "; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
      }
      Parsed p = parseFields(expansion);
      return new Parsed(p.fields(), false, text.toLowerCase(Locale.ROOT));
    }
    return parseFields(text);
  }

  private static Parsed parseFields(String text) {
    List<Integer> starts = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && isSeparator(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      while (i < n && !isSeparator(text.charAt(i))) {
        i++;
      }
      starts.add(start);
      parts.add(text.substring(start, i));
    }
    int count = parts.size();
    if (count != 5 && count != 6) {
      int pos = count > 6 ? starts.get(6) : text.length();
      throw new CronSyntaxException(
          pos,
          "expression",
          "found "
              + count
              + (count == 1 ? " field" : " fields")
              + ", expected 5 (minute hour day-of-month month day-of-week) or 6 (with seconds"
              + " first)");
    }
    Kind[] kinds = count == 6 ? SIX : FIVE;
    CronField[] fields = new CronField[6];
    int offset = count == 6 ? 0 : 1;
    if (count == 5) {
      fields[0] =
          new CronField(Kind.SECOND, "0", -1, List.of(new Item(Type.VALUE, 0, 0, 1, false)), 1L);
    }
    for (int f = 0; f < count; f++) {
      fields[f + offset] = parseField(kinds[f], parts.get(f), starts.get(f));
    }
    return new Parsed(fields, count == 6, null);
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '\t';
  }

  private static CronField parseField(Kind kind, String text, int base) {
    List<Item> items = new ArrayList<>();
    long bits = 0;
    int itemStart = 0;
    while (true) {
      int comma = text.indexOf(',', itemStart);
      int itemEnd = comma < 0 ? text.length() : comma;
      if (itemEnd == itemStart) {
        throw new CronSyntaxException(base + itemStart, kind.label, "empty list item");
      }
      Item item = new ItemParser(kind, text, itemStart, itemEnd, base).parse();
      items.add(item);
      bits |= plainBits(kind, item);
      if (comma < 0) {
        break;
      }
      itemStart = comma + 1;
    }
    return new CronField(kind, text, base, List.copyOf(items), bits);
  }

  /** The plain values an item selects (specials select none here; day-of-week 7 becomes 0). */
  private static long plainBits(Kind kind, Item item) {
    int from;
    int to;
    int step = 1;
    switch (item.type()) {
      case STAR, ANY -> {
        from = kind.min;
        to = kind.starMax();
      }
      case STAR_STEP -> {
        from = kind.min;
        to = kind.starMax();
        step = item.step();
      }
      case VALUE -> {
        from = item.a();
        to = item.a();
      }
      case RANGE -> {
        from = item.a();
        to = item.b();
        step = item.step();
      }
      case START_STEP -> {
        from = item.a();
        to = Math.max(item.a(), kind.starMax());
        step = item.step();
      }
      default -> {
        return 0;
      }
    }
    long bits = 0;
    for (int v = from; v <= to; v += step) {
      bits |= 1L << (kind == Kind.DAY_OF_WEEK ? v % 7 : v);
    }
    return bits;
  }

  /** Parses one list item with a cursor, so every error can point at its character. */
  private static final class ItemParser {
    private final Kind kind;
    private final String text;
    private final int start;
    private final int end;
    private final int base;
    private int i;

    ItemParser(Kind kind, String text, int start, int end, int base) {
      this.kind = kind;
      this.text = text;
      this.start = start;
      this.end = end;
      this.base = base;
      this.i = start;
    }

    private CronSyntaxException error(int at, String reason) {
      return new CronSyntaxException(base + at, kind.label, reason);
    }

    private char peek() {
      return i < end ? upper(text.charAt(i)) : 0;
    }

    private static char upper(char c) {
      return c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
    }

    Item parse() {
      char c = peek();
      if (c == '*') {
        i++;
        if (i == end) {
          return new Item(Type.STAR, kind.min, kind.starMax(), 1, false);
        }
        if (peek() == '/') {
          i++;
          int step = readStep();
          expectEnd();
          return new Item(Type.STAR_STEP, kind.min, kind.starMax(), step, true);
        }
        throw unexpected();
      }
      if (c == '?') {
        if (kind != Kind.DAY_OF_MONTH && kind != Kind.DAY_OF_WEEK) {
          throw error(i, "? is only allowed in the day-of-month and day-of-week fields");
        }
        if (start != 0 || end != text.length()) {
          throw error(i, "? must stand alone, not in a list");
        }
        i++;
        expectEnd();
        return new Item(Type.ANY, kind.min, kind.starMax(), 1, false);
      }
      if (kind == Kind.DAY_OF_MONTH && c == 'L') {
        return parseDomLast();
      }
      int aStart = i;
      int a = readValue();
      c = peek();
      if (c == 'W' && kind == Kind.DAY_OF_MONTH) {
        i++;
        expectEnd();
        return new Item(Type.NEAREST_WEEKDAY, a, a, 1, false);
      }
      if (c == 'L' && kind == Kind.DAY_OF_WEEK) {
        i++;
        expectEnd();
        return new Item(Type.LAST_DOW, a % 7, a % 7, 1, false);
      }
      if (c == '#' && kind == Kind.DAY_OF_WEEK) {
        i++;
        int nthStart = i;
        int nth = readNumber();
        if (nth < 1 || nth > 5) {
          throw error(nthStart, "#" + nth + " is out of range; the occurrence must be 1-5");
        }
        expectEnd();
        return new Item(Type.NTH_DOW, a % 7, nth, 1, false);
      }
      if (c == '-') {
        i++;
        int b = readValue();
        if (b < a) {
          throw error(
              aStart,
              "range "
                  + text.substring(aStart, i)
                  + " is reversed: start "
                  + a
                  + " is greater than end "
                  + b);
        }
        int step = 1;
        boolean hasStep = false;
        if (peek() == '/') {
          i++;
          step = readStep();
          hasStep = true;
        }
        expectEnd();
        return new Item(Type.RANGE, a, b, step, hasStep);
      }
      if (c == '/') {
        i++;
        int step = readStep();
        expectEnd();
        return new Item(Type.START_STEP, a, kind.starMax(), step, true);
      }
      expectEnd();
      return new Item(Type.VALUE, a, a, 1, false);
    }

    private Item parseDomLast() {
      i++; // L
      if (i == end) {
        return new Item(Type.LAST_DAY, 0, 0, 1, false);
      }
      char c = peek();
      if (c == 'W') {
        i++;
        expectEnd();
        return new Item(Type.LAST_WEEKDAY, 0, 0, 1, false);
      }
      if (c == '-') {
        i++;
        int numStart = i;
        int n = readNumber();
        if (n > 30) {
          throw error(numStart, "L-" + n + " is out of range; the offset must be 0-30");
        }
        expectEnd();
        return new Item(Type.LAST_DAY, n, n, 1, false);
      }
      throw unexpected();
    }

    private int readStep() {
      int stepStart = i;
      int step = readNumber();
      if (step < 1 || step > kind.maxStep) {
        throw error(stepStart, "step " + step + " is out of range 1-" + kind.maxStep);
      }
      return step;
    }

    /** Reads digits; errors if there are none. Very long numbers are reported as out of range. */
    private int readNumber() {
      int numStart = i;
      while (i < end && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
        i++;
      }
      if (i == numStart) {
        if (i == end) {
          throw error(i, "expected a number at the end of the item");
        }
        throw unexpected();
      }
      String digits = text.substring(numStart, i);
      if (digits.length() > 9) {
        return Integer.MAX_VALUE;
      }
      return Integer.parseInt(digits);
    }

    /** Reads a number or (month, day-of-week) a name, and checks it is in the field's range. */
    private int readValue() {
      int valueStart = i;
      char c = peek();
      if (c >= '0' && c <= '9') {
        int v = readNumber();
        if (v < kind.min || v > kind.max) {
          throw error(
              valueStart,
              text.substring(valueStart, i)
                  + " is out of range "
                  + kind.min
                  + "-"
                  + kind.max
                  + (kind == Kind.DAY_OF_WEEK ? " (0 and 7 are Sunday)" : ""));
        }
        return v;
      }
      if (c >= 'A' && c <= 'Z') {
        while (i < end && peek() >= 'A' && peek() <= 'Z') {
          i++;
        }
        String word = text.substring(valueStart, i).toUpperCase(Locale.ROOT);
        String[] names =
            kind == Kind.MONTH ? MONTH_NAMES : kind == Kind.DAY_OF_WEEK ? DAY_NAMES : null;
        if (names == null) {
          throw error(valueStart, "unexpected '" + text.substring(valueStart, i) + "'" + hint());
        }
        int found = indexOf(names, word);
        if (found < 0 && kind == Kind.DAY_OF_WEEK && word.length() == 4 && word.endsWith("L")) {
          found = indexOf(names, word.substring(0, 3));
          if (found >= 0) {
            i--; // leave the L for the caller: FRIL is FRI followed by L
          }
        }
        if (found < 0 && kind == Kind.DAY_OF_WEEK && word.equals("L")) {
          throw error(
              valueStart,
              "L alone is not allowed in day-of-week; use e.g. 5L or FRIL (last Friday)");
        }
        if (found < 0) {
          throw error(
              valueStart,
              "unknown "
                  + (kind == Kind.MONTH ? "month" : "day")
                  + " name '"
                  + text.substring(valueStart, i)
                  + "'; expected "
                  + (kind == Kind.MONTH ? "JAN-DEC" : "SUN-SAT"));
        }
        return kind == Kind.MONTH ? found + 1 : found;
      }
      if (i == end) {
        throw error(i, "expected a value at the end of the item");
      }
      throw unexpected();
    }

    private static int indexOf(String[] names, String word) {
      for (int k = 0; k < names.length; k++) {
        if (names[k].equals(word)) {
          return k;
        }
      }
      return -1;
    }

    private void expectEnd() {
      if (i != end) {
        throw unexpected();
      }
    }

    private CronSyntaxException unexpected() {
      char c = text.charAt(i);
      return error(i, "unexpected character '" + c + "'" + hint(c));
    }

    private String hint() {
      return kind == Kind.MONTH || kind == Kind.DAY_OF_WEEK ? "" : "; expected a number";
    }

    private String hint(char c) {
      char u = upper(c);
      if (u == 'L' && kind != Kind.DAY_OF_MONTH && kind != Kind.DAY_OF_WEEK) {
        return "; L is only allowed in day-of-month and day-of-week";
      }
      if (u == 'W' && kind != Kind.DAY_OF_MONTH) {
        return "; W is only allowed in day-of-month";
      }
      if (c == '#' && kind != Kind.DAY_OF_WEEK) {
        return "; # is only allowed in day-of-week";
      }
      if (c == '?') {
        return "; ? must stand alone and only in day-of-month or day-of-week";
      }
      return "";
    }
  }
}
