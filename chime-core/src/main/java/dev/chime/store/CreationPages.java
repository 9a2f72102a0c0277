package dev.chime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** A tenant's objects in creation order, a page at a time: channels, alert rules and incidents. */
final class CreationPages {
  private CreationPages() {}

  /** Reads one row of a listing. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet rows) throws SQLException;
  }

  /**
   * A page of {@code select} (which ends with {@code WHERE tenant_id = ?} and may be narrowed by
   * {@code extra}, bound after the tenant), ordered by {@code created_at, id}.
   */
  static <T> Page<T> list(
      Database db,
      String select,
      String tenantId,
      Optional<String> cursor,
      int limit,
      RowReader<T> reader,
      Function<T, Instant> createdAt,
      Function<T, UUID> id) {
    return list(db, select, List.of(tenantId), cursor, limit, reader, createdAt, id);
  }

  static <T> Page<T> list(
      Database db,
      String select,
      List<String> params,
      Optional<String> cursor,
      int limit,
      RowReader<T> reader,
      Function<T, Instant> createdAt,
      Function<T, UUID> id) {
    return list(db, select, params, "created_at", "id", cursor, limit, reader, createdAt, id);
  }

  /**
   * As above, ordered by the columns {@code atColumn, idColumn} (qualified when {@code select}
   * joins tables): the instant an object was made, and its id.
   */
  static <T> Page<T> list(
      Database db,
      String select,
      List<String> params,
      String atColumn,
      String idColumn,
      Optional<String> cursor,
      int limit,
      RowReader<T> reader,
      Function<T, Instant> createdAt,
      Function<T, UUID> id) {
    Dialect dialect = db.dialect();
    Optional<Cursor> after = cursor.map(Cursor::decode);
    String sql =
        select
            + (after.isPresent()
                ? " AND (" + atColumn + " > ? OR (" + atColumn + " = ? AND " + idColumn + " > ?))"
                : "")
            + " ORDER BY "
            + atColumn
            + ", "
            + idColumn
            + Statements.limit(limit + 1);
    List<T> rows =
        db.inTransaction(
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 1;
                for (String param : params) {
                  statement.setString(i++, param);
                }
                if (after.isPresent()) {
                  dialect.setInstant(statement, i++, after.get().at());
                  dialect.setInstant(statement, i++, after.get().at());
                  statement.setString(i, after.get().id().toString());
                }
                List<T> items = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                  while (result.next()) {
                    items.add(reader.read(result));
                  }
                }
                return items;
              }
            });
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> page = rows.subList(0, limit);
    T last = page.get(page.size() - 1);
    return new Page<>(
        page, Optional.of(new Cursor(createdAt.apply(last), id.apply(last)).encode()));
  }
}
