package dev.chime.store;

import dev.chime.testing.TestDatabases;

class PostgresRetentionTest extends RetentionContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.postgres();
  }
}
