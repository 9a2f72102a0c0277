package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2StoreTest extends StoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
