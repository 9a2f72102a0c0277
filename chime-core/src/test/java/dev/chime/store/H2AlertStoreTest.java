package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2AlertStoreTest extends AlertStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
