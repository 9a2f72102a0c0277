package dev.chime.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.server.testing.ChimeTestNode.Response;

/** Making tenants and tokens through the API, as an operator does. */
public final class Tenants {
  private Tenants() {}

  /** Makes a tenant (with the node's default limits) as the node's admin. */
  public static void create(ChimeTestNode admin, String id) {
    create(admin, id, "{}");
  }

  public static void create(ChimeTestNode admin, String id, String quotas) {
    Response made =
        admin.post(
            "/api/v1/tenants",
            "{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\",\"quotas\":" + quotas + "}");
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
  }

  /** A new token of {@code tenant} with the scopes given (wire names); answers its text. */
  public static String token(ChimeTestNode admin, String tenant, String... scopes) {
    StringBuilder list = new StringBuilder();
    for (String scope : scopes) {
      list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
    }
    Response made =
        admin.post(
            "/api/v1/tokens",
            "{\"name\":\"test "
                + String.join(" ", scopes)
                + "\",\"tenant_id\":\""
                + tenant
                + "\",\"scopes\":["
                + list
                + "]}");
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    return made.json().path("token").asText();
  }

  /** Every scope but admin. */
  public static final String[] ALL_BUT_ADMIN = {
    "schedules:read", "schedules:write", "schedules:run", "schedules:delete", "runs:read"
  };
}
