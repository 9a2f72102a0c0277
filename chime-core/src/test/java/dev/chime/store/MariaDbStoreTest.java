package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbStoreTest extends StoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
