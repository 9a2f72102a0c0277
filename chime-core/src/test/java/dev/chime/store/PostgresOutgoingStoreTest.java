package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresOutgoingStoreTest extends OutgoingStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
