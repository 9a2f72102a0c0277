package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresNodeStoreTest extends NodeStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
