package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class PostgresHostileInputTest extends HostileInputContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.postgres();
  }
}
