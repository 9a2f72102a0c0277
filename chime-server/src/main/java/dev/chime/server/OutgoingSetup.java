package dev.chime.server;

import dev.chime.dispatch.TargetGuard;
import dev.chime.outgoing.TenantAllowLists;
import dev.chime.outgoing.TenantSigning;
import dev.chime.secret.SecretBox;
import dev.chime.server.api.Outgoing;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.SecretsKey;
import dev.chime.server.config.SecretsKeyFile;
import dev.chime.store.Database;
import dev.chime.store.SealingKeys;
import dev.chime.store.SigningSecretStore;
import dev.chime.store.TargetAllowListStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Builds what a node's outgoing calls need: the secrets key, signing and the tenants' lists. */
final class OutgoingSetup {
  /**
   * How long a node uses the signing secrets and allow-list it read of a tenant before it reads
   * them again: a change through another node applies within this.
   */
  static final Duration FRESH = Duration.ofSeconds(10);

  private OutgoingSetup() {}

  /**
   * The node's secrets box, from {@code secrets.key} or the key kept in the data folder; refuses to
   * start with a key other than the one that sealed the database's secrets.
   */
  static SecretBox secretBox(ChimeConfig config, Database db, Clock clock) {
    SecretsKey key;
    String from;
    if (config.secretsKey().isPresent()) {
      key = config.secretsKey().get();
      from = "secrets.key";
    } else {
      try {
        key = SecretsKeyFile.readOrCreate(config.secretsKeyFile());
      } catch (IOException e) {
        throw new IllegalStateException(
            "secrets.key is not set and the key kept in the data folder cannot be used: "
                + e.getMessage()
                + "; set CHIME_SECRETS_KEY or CHIME_DATA_DIR",
            e);
      }
      from = config.secretsKeyFile().toAbsolutePath().normalize().toString();
    }
    SecretBox box = SecretBox.of(key.bytes());
    Optional<String> other = SealingKeys.claim(db, box.keyId(), clock.instant());
    if (other.isPresent()) {
      throw new IllegalStateException(
          "this node's secrets key (id "
              + box.keyId()
              + ", from "
              + from
              + ") is not the key the database's secrets are sealed with (id "
              + other.get()
              + "): every node of a cluster needs the same key; set CHIME_SECRETS_KEY on each"
              + " node to the key of the others");
    }
    return box;
  }

  static Outgoing outgoing(
      ChimeConfig config, Database db, SecretBox box, TargetGuard guard, Clock clock) {
    return new Outgoing(
        box,
        guard,
        new TenantSigning(new SigningSecretStore(db), box, clock, FRESH),
        new TenantAllowLists(new TargetAllowListStore(db), FRESH),
        config.signingGrace());
  }
}
