package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class PostgresOutgoingTest extends OutgoingContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.postgres();
  }
}
