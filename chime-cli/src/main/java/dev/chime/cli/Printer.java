package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints tables and key-value blocks for people, JSON for programs. */
final class Printer {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;

  Printer(PrintWriter out) {
    this.out = out;
  }

  void json(JsonNode node) {
    try {
      out.println(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One JSON value on one line, as a stream of events is printed. */
  void jsonLine(JsonNode node) {
    out.println(node.toString());
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  void table(List<String> headers, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    int[] widths = new int[headers.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** {@code key: value} lines, the keys aligned. */
  void fields(List<Map.Entry<String, String>> fields) {
    int width = fields.stream().mapToInt(field -> field.getKey().length()).max().orElse(0);
    for (Map.Entry<String, String> field : fields) {
      out.println(
          field.getKey()
              + ":"
              + " ".repeat(width - field.getKey().length() + 1)
              + field.getValue());
    }
    out.flush();
  }
}
