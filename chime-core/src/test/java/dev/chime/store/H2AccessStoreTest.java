package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2AccessStoreTest extends AccessStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
