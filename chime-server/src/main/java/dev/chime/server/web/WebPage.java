package dev.chime.server.web;

import dev.chime.server.auth.Access;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The web page: one HTML shell at every address the page knows, and its files under {@code
 * /ui/<hash>/}. The page reads and changes everything through the public REST API with the
 * visitor's token, so these routes are open to anyone and hold no tenant's data.
 */
public final class WebPage {
  /** The addresses that answer with the page; the page itself tells them apart. */
  public static final List<String> PAGES =
      List.of(
          "/",
          "/schedules/new",
          "/schedules/{id}",
          "/schedules/{id}/edit",
          "/schedules/{id}/runs/{runId}",
          "/audit");

  /** Where the page's files are served, under the hash of their contents. */
  public static final String ASSETS = "/ui/{version}/<file>";

  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final WebAssets assets;
  private final byte[] shell;

  private WebPage(WebAssets assets) {
    this.assets = assets;
    this.shell = shell(assets).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the page's files from the jar; fails at start, not at the first visit, when one lacks.
   */
  public static WebPage fromClasspath() {
    return new WebPage(WebAssets.fromClasspath());
  }

  /** The path under which this build's files are served, such as {@code /ui/3f2a9c01b7de}. */
  public String assetRoot() {
    return "/ui/" + assets.version();
  }

  public void register(RoutesConfig app) {
    for (String page : PAGES) {
      app.get(page, this::page, Access.PUBLIC);
    }
    app.get(ASSETS, this::asset, Access.PUBLIC);
  }

  private void page(Context ctx) {
    // the shell names the files of this build, so it is asked for again at every visit
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(WebAssets.contentType(".html")).result(shell);
  }

  private void asset(Context ctx) {
    WebAssets.Asset asset = assets.get(ctx.pathParam("file")).orElseThrow(NotFoundResponse::new);
    if (!ctx.pathParam("version").equals(assets.version())) {
      // a page of another build (a node not yet upgraded, or one already): serve what there is,
      // but let no cache keep it under that build's name
      ctx.header("Cache-Control", "no-store");
    } else {
      ctx.header("Cache-Control", IMMUTABLE);
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  private static String shell(WebAssets assets) {
    String root = "/ui/" + assets.version();
    String preloads =
        assets.names().stream()
            .filter(name -> name.endsWith(".js") && !name.equals("app/main.js"))
            .map(name -> "<link rel=\"modulepreload\" href=\"" + root + "/" + name + "\">")
            .collect(Collectors.joining("\n    "));
    return template().replace("{{preloads}}", preloads).replace("{{ui}}", root);
  }

  private static String template() {
    try (InputStream in = WebPage.class.getResourceAsStream("index.html")) {
      if (in == null) {
        throw new IllegalStateException("the page's index.html is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
