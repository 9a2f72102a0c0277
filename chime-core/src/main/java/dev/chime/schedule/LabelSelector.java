package dev.chime.schedule;

import dev.chime.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which schedules a list or a bulk action takes by their labels, as a comma-separated selector:
 * {@code team=billing} (has the value), {@code env!=dev} (has another value, or none), {@code tier}
 * (has the label), {@code !legacy} (has not). Every term must hold.
 */
public record LabelSelector(List<Term> terms) {
  public static final int MAX_TERMS = 20;

  public enum Op {
    EQUALS,
    NOT_EQUALS,
    EXISTS,
    NOT_EXISTS
  }

  /** One term; {@code value} is empty for {@link Op#EXISTS} and {@link Op#NOT_EXISTS}. */
  public record Term(String key, Op op, String value) {
    public Term {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }
  }

  public LabelSelector {
    terms = List.copyOf(terms);
  }

  /** Parses a selector; {@code field} names it in the error (a query parameter, a body field). */
  public static LabelSelector parse(String text, String field) {
    List<Term> terms = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String term = raw.strip();
      if (term.isEmpty()) {
        throw new InvalidInputException(
            field, "has an empty term; terms are separated by one comma");
      }
      Term parsed;
      int ne = term.indexOf("!=");
      int eq = term.indexOf('=');
      if (ne > 0) {
        parsed =
            new Term(term.substring(0, ne).strip(), Op.NOT_EQUALS, term.substring(ne + 2).strip());
      } else if (eq > 0) {
        int skip = term.startsWith("==", eq) ? 2 : 1;
        parsed =
            new Term(term.substring(0, eq).strip(), Op.EQUALS, term.substring(eq + skip).strip());
      } else if (term.startsWith("!")) {
        parsed = new Term(term.substring(1).strip(), Op.NOT_EXISTS, "");
      } else {
        parsed = new Term(term, Op.EXISTS, "");
      }
      if (!Labels.KEY.matcher(parsed.key()).matches()
          || !Labels.VALUE.matcher(parsed.value()).matches()) {
        throw new InvalidInputException(
            field,
            "term '"
                + term
                + "' is not name=value, name!=value, name or !name with a label name and value");
      }
      terms.add(parsed);
    }
    if (terms.size() > MAX_TERMS) {
      throw new InvalidInputException(
          field, "has " + terms.size() + " terms; the limit is " + MAX_TERMS);
    }
    return new LabelSelector(terms);
  }
}
