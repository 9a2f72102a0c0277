package dev.chime.server.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A node id generated once and kept in {@code <data.dir>/node-id}, so that a node restarted after a
 * crash has the same name in its leases as before. Used only when {@code node.id} is not set.
 *
 * <p>While a node runs it holds a lock on the file ({@link #lock}), so a second process started on
 * the same data folder, which would read the same id, refuses to start instead of running as a twin
 * of the first. The lock is the operating system's and goes away with the process, also on {@code
 * kill -9}.
 */
public final class NodeIdFile {
  /** The file's name in the data folder. */
  public static final String NAME = "node-id";

  static final int MAX_LENGTH = 100;

  private NodeIdFile() {}

  /**
   * The id kept in {@code file}; when there is no file yet, a new id from {@code generator},
   * written there first. A file with an unusable id is an error, never silently replaced: the id is
   * what ties the node to its leases.
   */
  public static String readOrCreate(Path file, Supplier<String> generator) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    String id = generator.get();
    // Written whole under another name and then moved into place, so that a crash never leaves a
    // half-written id behind, and a process that loses a race to create it reads the winner's id.
    Path temp = file.resolveSibling(NAME + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(StandardCharsets.UTF_8.encode(id + "\n"));
      out.force(true);
    }
    try {
      Files.move(temp, file);
    } catch (FileAlreadyExistsException e) {
      return read(file);
    } finally {
      Files.deleteIfExists(temp);
    }
    return id;
  }

  /** A new id: the host name and eight random hexadecimal digits. */
  public static String generate(String hostName) {
    int room = MAX_LENGTH - 9;
    String host = hostName.length() > room ? hostName.substring(0, room) : hostName;
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String read(Path file) throws IOException {
    String id = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (id.isEmpty()) {
      throw new IOException(
          "the node id file " + file + " is empty; delete it to have a new id made");
    }
    if (id.length() > MAX_LENGTH || id.lines().count() > 1) {
      throw new IOException(
          "the node id file "
              + file
              + " must hold one line of at most "
              + MAX_LENGTH
              + " characters");
    }
    return id;
  }

  /**
   * Locks {@code file} for this process until the returned lock is closed, or throws {@link
   * IllegalStateException} if another process (or another node in this JVM) holds it.
   */
  public static Lock lock(Path file, String nodeId) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the node id file " + file + ": " + e, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot lock the node id file " + file + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new IllegalStateException(
          "another Chime node is running as "
              + nodeId
              + " with the same data folder ("
              + file.toAbsolutePath().normalize()
              + " is locked); give each node its own CHIME_DATA_DIR or its own CHIME_NODE_ID");
    }
    return () -> closeQuietly(channel);
  }

  /** A held lock on the node id file; {@link #close()} lets it go and may be called again. */
  @FunctionalInterface
  public interface Lock extends AutoCloseable {
    /** For a node whose id is set by {@code node.id}: nothing is locked. */
    Lock NONE = () -> {};

    @Override
    void close();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing lets the lock go; there is nothing else to undo
    }
  }
}
