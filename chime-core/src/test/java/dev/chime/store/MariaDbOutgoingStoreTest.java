package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbOutgoingStoreTest extends OutgoingStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
