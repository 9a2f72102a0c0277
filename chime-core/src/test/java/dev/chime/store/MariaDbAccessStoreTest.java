package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbAccessStoreTest extends AccessStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
