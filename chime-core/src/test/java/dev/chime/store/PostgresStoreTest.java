package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresStoreTest extends StoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
