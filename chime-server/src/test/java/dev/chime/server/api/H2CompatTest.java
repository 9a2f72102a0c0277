package dev.chime.server.api;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;

class H2CompatTest extends CompatContractTest {
  @Override
  DatabaseSettings database() {
    return TestDatabases.h2();
  }
}
