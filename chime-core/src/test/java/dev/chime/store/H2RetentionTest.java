package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2RetentionTest extends RetentionContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
