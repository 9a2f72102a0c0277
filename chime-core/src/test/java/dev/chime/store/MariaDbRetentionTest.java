package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbRetentionTest extends RetentionContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
