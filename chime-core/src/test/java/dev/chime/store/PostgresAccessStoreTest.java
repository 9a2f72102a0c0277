package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresAccessStoreTest extends AccessStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
