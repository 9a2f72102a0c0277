package dev.chime.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The page's files, read once from the jar: Chime's own modules and styles under {@code app/}, and
 * the WebJars' files under {@code vendor/}. All of them are served under one path named by a hash
 * of their contents, so a browser may keep them for a year and still never mixes two builds.
 */
final class WebAssets {
  private static final String OWN_ROOT = "dev/chime/server/web/app";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** A file served as is: its bytes and its Content-Type. */
  record Asset(byte[] bytes, String contentType) {}

  private final SortedMap<String, Asset> assets;
  private final String version;

  private WebAssets(SortedMap<String, Asset> assets) {
    this.assets = assets;
    this.version = hash(assets);
  }

  static WebAssets fromClasspath() {
    Properties webjars = properties("/dev/chime/server/web/webjars.properties");
    String preact = WEBJARS + "preact/" + webjars.getProperty("preact") + "/";
    String pico = WEBJARS + "picocss__pico/" + webjars.getProperty("pico") + "/";
    SortedMap<String, Asset> assets = new TreeMap<>();
    ownFiles().forEach((name, bytes) -> assets.put("app/" + name, asset(name, bytes)));
    assets.put("vendor/preact.module.js", asset(".js", read(preact + "dist/preact.module.js")));
    // the hooks import Preact by its package name, which a browser resolves only through an import
    // map, and an inline import map would need the CSP to allow it; a relative path needs neither
    String hooks = new String(read(preact + "hooks/dist/hooks.module.js"), StandardCharsets.UTF_8);
    if (!hooks.contains("from\"preact\"")) {
      throw new IllegalStateException("Preact's hooks no longer import \"preact\" as expected");
    }
    assets.put(
        "vendor/hooks.module.js",
        asset(".js", hooks.replace("from\"preact\"", "from\"./preact.module.js\"").getBytes(UTF8)));
    assets.put("vendor/pico.min.css", asset(".css", read(pico + "css/pico.min.css")));
    return new WebAssets(assets);
  }

  /** The hash that names this build of the page's files, as it appears in their paths. */
  String version() {
    return version;
  }

  Optional<Asset> get(String name) {
    return Optional.ofNullable(assets.get(name));
  }

  /** Every file's name, such as {@code app/main.js}. */
  java.util.Set<String> names() {
    return assets.keySet();
  }

  private static Asset asset(String name, byte[] bytes) {
    return new Asset(bytes, contentType(name));
  }

  static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "html" -> "text/html; charset=utf-8";
      case "png" -> "image/png";
      default -> "application/octet-stream";
    };
  }

  private static String hash(SortedMap<String, Asset> assets) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      assets.forEach(
          (name, asset) -> {
            digest.update(name.getBytes(UTF8));
            digest.update((byte) 0);
            digest.update(asset.bytes());
          });
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Chime's own files, from a folder (tests, an IDE) or from inside the jar. */
  private static SortedMap<String, byte[]> ownFiles() {
    URL root = WebAssets.class.getClassLoader().getResource(OWN_ROOT);
    if (root == null) {
      throw new IllegalStateException(OWN_ROOT + " is missing from the jar");
    }
    try {
      URI uri = root.toURI();
      if (!uri.getScheme().equals("jar")) {
        return readTree(Path.of(uri));
      }
      FileSystem jar;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        // opened elsewhere in this JVM: read it, and leave closing it to its owner
        return readTree(FileSystems.getFileSystem(uri).provider().getPath(uri));
      }
      try (jar) {
        return readTree(jar.provider().getPath(uri));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SortedMap<String, byte[]> readTree(Path root) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
      }
    }
    return files;
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar (a WebJar?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties properties(String resource) {
    try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
