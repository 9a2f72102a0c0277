package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class MariaDbFiringTest extends FiringContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.mariadb();
  }
}
