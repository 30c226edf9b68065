package dev.trainlog.mongodb.internal.service;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a store service as a detached JVM on this process's own class path (a trainer's, the
 * command line's: whatever holds this module) in its own session, so a Ctrl-C meant for the
 * process that started it does not reach it; its output goes to {@value #LOG_FILE} in the directory.
 */
final class ServiceProcess {

  /** The service's log inside the store directory: {@value}. */
  static final String LOG_FILE = "service.log";

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * The service's heap unless {@value #HEAP_PROPERTY} or {@value #HEAP_ENV} says otherwise: {@value}. A cap,
   * not a reservation (the heap grows as needed): the seed's aggregate over 2M step documents sorts 400k
   * (narrowed) documents and peaks near 470 MB; 256 MB ran out of memory.
   */
  static final String DEFAULT_HEAP = "512m";

  /** The system property with the heap of services this process starts (a JVM size, e.g. 1g): {@value}. */
  static final String HEAP_PROPERTY = "trainlog.store.heap";

  /** The environment variable read when the property is unset: {@value}. */
  static final String HEAP_ENV = "TRAINLOG_STORE_HEAP";

  private ServiceProcess() {}

  static Process spawn(Path dir, int port, boolean fallback, long idleMillis, boolean oplog) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
      // --wait: if setsid has to fork, its exit status is still the service's
      cmd.add("--wait");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String heap = System.getProperty(HEAP_PROPERTY, System.getenv(HEAP_ENV));
    // a scan that sorts (the seed's aggregate over many runs) holds what it matched in memory
    cmd.add("-Xmx" + (heap == null || !heap.matches("\\d+[kmgKMG]?") ? DEFAULT_HEAP : heap));
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dorg.slf4j.simpleLogger.log.de.bwaldvogel=warn");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(StoreServiceMain.class.getName());
    cmd.add(dir.toString());
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    if (fallback) {
      cmd.add("--fallback");
    }
    if (oplog) {
      cmd.add("--oplog");
    }
    cmd.add("--idle-timeout-ms");
    cmd.add(Long.toString(idleMillis));
    File log = dir.resolve(LOG_FILE).toFile();
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * The class path that holds this module: the JVM's own, plus the URLs of the class loaders that
   * loaded it when they are not the application's (Maven's {@code exec:java}, a plugin host), where
   * {@code java.class.path} names only the launcher.
   */
  static String classPath() {
    java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
    for (ClassLoader l = StoreServiceMain.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader) {
        for (java.net.URL url : ((java.net.URLClassLoader) l).getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
              // not a plain file: the service cannot use it anyway
            }
          }
        }
      }
    }
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The last line a service that could not start wrote to the log, without its prefix. */
  static Optional<String> lastError(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(LOG_FILE), StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith(StoreServiceMain.ERROR_PREFIX)) {
          return Optional.of(lines.get(i).substring(StoreServiceMain.ERROR_PREFIX.length()));
        }
      }
    } catch (IOException e) {
      // no log, no reason to give
    }
    return Optional.empty();
  }
}
