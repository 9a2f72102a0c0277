package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresAlertStoreTest extends AlertStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
