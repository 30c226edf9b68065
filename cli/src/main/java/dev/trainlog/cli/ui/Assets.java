package dev.trainlog.cli.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pages and their scripts, read from the jar by a fixed list of names (so no request path reaches
 * the file system or the class path): one page shell for three pages, the app's script and style, and uPlot
 * from its WebJar.
 */
final class Assets {

  /** The uPlot version the pages load: the WebJar on the class path. */
  static final String UPLOT_VERSION = "1.6.30";

  private static final String WEBJAR = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

  /** URL path of each page to its name (the script draws the page the body names) and title. */
  static final Map<String, String[]> PAGES = Map.of(
      "/", new String[] {"runs", "Runs"},
      "/run", new String[] {"run", "Run"},
      "/compare", new String[] {"compare", "Compare"});

  /** URL path of each other file to (class-path resource, content type). */
  static final Map<String, String[]> FILES = Map.of(
      "/assets/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
      "/assets/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
      "/assets/images.js", new String[] {"images.js", "text/javascript; charset=utf-8"},
      "/assets/uplot.js", new String[] {WEBJAR + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
      "/assets/uplot.css", new String[] {WEBJAR + "uPlot.min.css", "text/css; charset=utf-8"});

  private Assets() {}

  /** The page shell with its name and title filled in. */
  static byte[] page(String name, String title) {
    String shell = new String(read("/dev/trainlog/cli/ui/page.html"), StandardCharsets.UTF_8);
    return shell.replace("{{PAGE}}", name).replace("{{TITLE}}", title).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " in the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
