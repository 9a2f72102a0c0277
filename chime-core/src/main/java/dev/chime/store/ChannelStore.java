package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.alert.Channel;
import dev.chime.alert.ChannelKind;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A tenant's notification channels. Every change writes an audit event in the same transaction; the
 * audit keeps the channel as the API shows it, never its sealed credentials.
 */
public final class ChannelStore {
  private static final String COLUMNS =
      "id, tenant_id, name, kind, settings_json, secret_sealed, created_at, updated_at";

  private final Database db;
  private final Dialect dialect;

  public ChannelStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** Inserts a channel; a name the tenant already uses is a {@link ConflictException}. */
  public void insert(Channel channel, Actor actor, Function<Channel, String> describe) {
    try {
      db.inTransaction(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO notification_channels ("
                        + COLUMNS
                        + ") VALUES (?,?,?,?,?,?,?,?)")) {
              insert.setString(1, channel.id().toString());
              insert.setString(2, channel.tenantId());
              insert.setString(3, channel.name());
              insert.setString(4, channel.kind().wireName());
              insert.setString(5, channel.settingsJson());
              insert.setString(6, channel.sealedSecret());
              dialect.setInstant(insert, 7, channel.createdAt());
              dialect.setInstant(insert, 8, channel.updatedAt());
              insert.executeUpdate();
            }
            audit(
                connection, channel, actor, "channel.create", channel.createdAt(), null, describe);
            return null;
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new ConflictException(
            "name", "the tenant already has a channel named '" + channel.name() + "'");
      }
      throw e;
    }
  }

  /**
   * Replaces a channel's name, settings and sealed credentials with those {@code change} makes from
   * the current channel (read under a lock), audited before and after as the API shows them. A name
   * the tenant already uses is a {@link ConflictException}; empty when the tenant has no such
   * channel.
   */
  public Optional<Channel> update(
      String tenantId,
      UUID id,
      Function<Channel, Channel> change,
      Actor actor,
      Function<Channel, String> describe) {
    try {
      return db.inTransaction(
          connection -> {
            Optional<Channel> current = one(connection, tenantId, id, true);
            if (current.isEmpty()) {
              return current;
            }
            Channel channel = change.apply(current.get());
            try (PreparedStatement update =
                connection.prepareStatement(
                    "UPDATE notification_channels SET name = ?, settings_json = ?,"
                        + " secret_sealed = ?, updated_at = ? WHERE id = ? AND tenant_id = ?")) {
              update.setString(1, channel.name());
              update.setString(2, channel.settingsJson());
              update.setString(3, channel.sealedSecret());
              dialect.setInstant(update, 4, channel.updatedAt());
              update.setString(5, id.toString());
              update.setString(6, tenantId);
              update.executeUpdate();
            }
            AuditStore.insert(
                connection,
                dialect,
                AuditEvent.of(
                    tenantId,
                    channel.updatedAt(),
                    actor,
                    "channel.update",
                    "channel",
                    id.toString(),
                    Optional.of(describe.apply(current.get())),
                    Optional.of(describe.apply(channel))));
            return Optional.of(channel);
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new ConflictException("name", "the tenant already has a channel with that name");
      }
      throw e;
    }
  }

  public Optional<Channel> get(String tenantId, UUID id) {
    return db.inTransaction(connection -> one(connection, tenantId, id, false));
  }

  public Page<Channel> list(String tenantId, Optional<String> cursor, int limit) {
    return CreationPages.list(
        db,
        "SELECT " + COLUMNS + " FROM notification_channels WHERE tenant_id = ?",
        tenantId,
        cursor,
        limit,
        this::read,
        Channel::createdAt,
        Channel::id);
  }

  /**
   * Deletes a channel and what waits to be sent to it. A channel an alert rule still tells is
   * refused ({@link ConflictException} naming the rules): delete or change those first. Empty when
   * the tenant has no such channel.
   */
  public Optional<Channel> delete(
      String tenantId, UUID id, Actor actor, Instant now, Function<Channel, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<Channel> channel = one(connection, tenantId, id, true);
          if (channel.isEmpty()) {
            return channel;
          }
          List<String> rules = AlertRuleStore.rulesTelling(connection, tenantId, id);
          if (!rules.isEmpty()) {
            throw new ConflictException(
                "",
                "the channel is told by alert rule(s) "
                    + String.join(", ", rules)
                    + "; delete those rules first");
          }
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM notification_channels WHERE id = ? AND tenant_id = ?")) {
            delete.setString(1, id.toString());
            delete.setString(2, tenantId);
            delete.executeUpdate();
          }
          audit(connection, channel.get(), actor, "channel.delete", now, channel.get(), describe);
          return channel;
        });
  }

  /** The channels of a tenant with these ids (those that exist), for a send. */
  static List<Channel> byIds(Connection connection, Dialect dialect, List<UUID> ids)
      throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM notification_channels WHERE id IN ("
                + Statements.placeholders(ids.size())
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        select.setString(i + 1, ids.get(i).toString());
      }
      List<Channel> channels = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          channels.add(read(rows, dialect));
        }
      }
      return channels;
    }
  }

  /** The channels with these ids, whatever their tenant: the sender's read before it sends. */
  public List<Channel> byIds(List<UUID> ids) {
    return db.inTransaction(connection -> byIds(connection, dialect, ids));
  }

  private Optional<Channel> one(Connection connection, String tenantId, UUID id, boolean lock)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM notification_channels WHERE id = ? AND tenant_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setString(1, id.toString());
      select.setString(2, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private Channel read(ResultSet rows) throws SQLException {
    return read(rows, dialect);
  }

  private static Channel read(ResultSet rows, Dialect dialect) throws SQLException {
    return new Channel(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        rows.getString("name"),
        ChannelKind.fromWire(rows.getString("kind")).orElseThrow(),
        rows.getString("settings_json"),
        rows.getString("secret_sealed"),
        dialect.getInstant(rows, "created_at").orElseThrow(),
        dialect.getInstant(rows, "updated_at").orElseThrow());
  }

  private void audit(
      Connection connection,
      Channel channel,
      Actor actor,
      String action,
      Instant at,
      Channel before,
      Function<Channel, String> describe)
      throws SQLException {
    AuditStore.insert(
        connection,
        dialect,
        AuditEvent.of(
            channel.tenantId(),
            at,
            actor,
            action,
            "channel",
            channel.id().toString(),
            Optional.ofNullable(before).map(describe),
            before == null ? Optional.of(describe.apply(channel)) : Optional.empty()));
  }
}
