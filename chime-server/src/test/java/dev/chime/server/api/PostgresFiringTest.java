package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class PostgresFiringTest extends FiringContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.postgres();
  }
}
