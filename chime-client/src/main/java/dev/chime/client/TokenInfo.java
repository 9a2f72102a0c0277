package dev.chime.client;

import java.util.List;
import java.util.Objects;

/**
 * The token a client calls with, as {@code GET /api/v1/tokens/current} answers.
 *
 * @param tenantId the tenant it acts in
 * @param name its name
 * @param scopes what it may do, such as {@code schedules:read}
 * @param state {@code active}, or {@code auth_off} on a node without authentication
 */
public record TokenInfo(String tenantId, String name, List<String> scopes, String state) {
  /** Checks the parts and copies the scopes. */
  public TokenInfo {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    scopes = List.copyOf(scopes);
  }
}
