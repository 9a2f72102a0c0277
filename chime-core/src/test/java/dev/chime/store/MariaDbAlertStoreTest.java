package dev.chime.store;

import dev.chime.testing.TestDatabases;

class MariaDbAlertStoreTest extends AlertStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.mariadb();
  }
}
