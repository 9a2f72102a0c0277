package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class MariaDbCompatTest extends CompatContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.mariadb();
  }
}
