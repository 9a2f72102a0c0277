package dev.chime.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.store.Database;
import dev.chime.store.TokenStore;
import dev.chime.tenant.ApiToken;
import dev.chime.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first admin token when several nodes of a cluster start at once on a new database. */
class AdminTokenTest {
  private static final String CHOSEN = "chime_the-cluster-admin-token-of-a-test";

  @Test
  void nodesStartingTogetherAddTheChosenTokenOnce(@TempDir Path data) throws Exception {
    try (Database db = Database.open(TestDatabases.postgres())) {
      TokenStore tokens = new TokenStore(db);
      List<Callable<Void>> starts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        starts.add(
            () -> {
              AdminToken.ensure(
                  tokens, CHOSEN, data.resolve("admin-token"), Instant.now(), ApiToken::name);
              return null;
            });
      }
      try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
        for (Future<Void> start : pool.invokeAll(starts)) {
          start.get(); // none of them fails
        }
      }
      assertThat(tokens.findByHash(Tokens.hash(CHOSEN))).isPresent();
      assertThat(tokens.list("default", java.util.Optional.empty(), 10).items()).hasSize(1);
    }
  }
}
