package dev.chime.server.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * A secrets key made once and kept in {@code <data.dir>/secrets-key}, readable by its owner alone
 * (mode 600), for a node without {@code secrets.key}. Fine for one node; the nodes of a cluster
 * must share one key, which only {@code secrets.key} gives them.
 */
public final class SecretsKeyFile {
  /** The file's name in the data folder. */
  public static final String NAME = "secrets-key";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private SecretsKeyFile() {}

  /**
   * The key kept in {@code file}, made and written there first when there is none. A file that is
   * unreadable, holds no key, or that others may read is an error, never replaced: the key is what
   * opens every stored secret.
   */
  public static SecretsKey readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] key = new byte[SecretsKey.BYTES];
    new SecureRandom().nextBytes(key);
    Path temp = file.resolveSibling(NAME + "." + UUID.randomUUID() + ".tmp");
    boolean posix =
        Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class)
            != null;
    try (FileChannel out =
        posix
            ? FileChannel.open(
                temp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(StandardCharsets.US_ASCII.encode(Base64.getEncoder().encodeToString(key) + "\n"));
      out.force(true);
    }
    try {
      Files.move(temp, file);
    } catch (FileAlreadyExistsException e) {
      return read(file); // another process made it first
    } finally {
      Files.deleteIfExists(temp);
    }
    return new SecretsKey(key);
  }

  private static SecretsKey read(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
      if (permissions.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
        throw new IOException(
            "the secrets key file "
                + file
                + " may be read by others (mode "
                + PosixFilePermissions.toString(permissions)
                + "); make it readable by its owner alone: chmod 600 "
                + file);
      }
    }
    try {
      return SecretsKey.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IllegalArgumentException e) {
      throw new IOException("the secrets key file " + file + " " + e.getMessage());
    }
  }
}
