package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2NodeStoreTest extends NodeStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
