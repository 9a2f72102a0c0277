package dev.chime.store;

import dev.chime.testing.TestDatabases;

class H2OutgoingStoreTest extends OutgoingStoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }
}
