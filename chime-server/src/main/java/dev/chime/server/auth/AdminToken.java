package dev.chime.server.auth;

import dev.chime.audit.Actor;
import dev.chime.store.StoreException;
import dev.chime.store.TokenStore;
import dev.chime.tenant.ApiToken;
import dev.chime.tenant.Scope;
import dev.chime.tenant.Tenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin token. At the first start (no token exists yet) Chime makes one for the default
 * tenant, logs it once and writes it to {@code <data.dir>/admin-token}, readable by its owner only.
 * An operator may choose it instead ({@code admin.token}): that token is added if it is not there
 * yet, and works until it is revoked.
 */
public final class AdminToken {
  private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
  static final String NAME = "admin";

  private AdminToken() {}

  public static void ensure(
      TokenStore tokens,
      String chosen,
      Path file,
      Instant now,
      Function<ApiToken, String> describe) {
    if (!chosen.isEmpty()) {
      String hash = Tokens.hash(chosen);
      Optional<ApiToken> existing = tokens.findByHash(hash);
      if (existing.isEmpty()) {
        try {
          tokens.insert(token(chosen, NAME + " (admin.token setting)", now), Actor.CHIME, describe);
        } catch (StoreException e) {
          // nodes of a cluster starting at once on a new database race to add it: one wins
          if (tokens.findByHash(hash).isEmpty()) {
            throw e;
          }
        }
        log.info("the admin token set by admin.token (CHIME_ADMIN_TOKEN) is ready");
      } else if (!existing.get().activeAt(now)) {
        log.error(
            "the token set by admin.token (CHIME_ADMIN_TOKEN) is {} and does not work; set another",
            existing.get().state(now));
      }
      return;
    }
    if (tokens.any()) {
      return;
    }
    String text = Tokens.generate();
    tokens.insert(token(text, NAME, now), Actor.CHIME, describe);
    write(file, text);
    log.warn(
        "first start: made the admin token of the default tenant; it is shown this once, and kept"
            + " in {} (readable by this user only):\n\n    {}\n",
        file.toAbsolutePath().normalize(),
        text);
  }

  private static ApiToken token(String text, String name, Instant now) {
    return new ApiToken(
        UUID.randomUUID(),
        Tenant.DEFAULT,
        name,
        Tokens.hash(text),
        Tokens.prefix(text),
        EnumSet.of(Scope.ADMIN),
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      byte[] bytes = (text + "\n").getBytes(StandardCharsets.US_ASCII);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      } catch (FileAlreadyExistsException raced) {
        // another start wrote it a moment ago; ours replaces it below
      }
      Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
  }
}
