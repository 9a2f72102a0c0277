package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbNodeStoreTest extends NodeStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
