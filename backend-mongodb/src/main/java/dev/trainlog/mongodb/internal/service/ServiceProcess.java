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

  /**
   * The nice value the service runs at unless {@value #NICE_PROPERTY} or {@value #NICE_ENV} says otherwise:
   * {@value}, the backend workers' ({@code trainlog.worker-nice}), so that on cores a trainer shares with the
   * service the scheduler runs the training thread first and the store's work in the time left. Never raised:
   * a thread at a higher nice value (a backend worker at a higher {@code trainlog.worker-nice}) starts the service
   * at its own.
   */
  static final int DEFAULT_NICE = 10;

  /** The system property with the nice value (0 to 19; 0 leaves the service at the starting thread's): {@value}. */
  static final String NICE_PROPERTY = "trainlog.store.nice";

  /** The environment variable read when the property is unset: {@value}. */
  static final String NICE_ENV = "TRAINLOG_STORE_NICE";

  private static final Path NICE = Path.of("/usr/bin/nice");

  private ServiceProcess() {}

  static Process spawn(Path dir, int port, boolean fallback, long idleMillis, boolean oplog) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
      // --wait: if setsid has to fork, its exit status is still the service's
      cmd.add("--wait");
    }
    // the calling thread's: a child starts at the nice value of the thread that forks it, and a backend's worker,
    // which starts the service for the trainer, runs at nice 10 already (trainlog.worker-nice)
    int lower = niceIncrement(configuredNice(), niceOf(Path.of("/proc/thread-self/stat")));
    if (lower > 0 && Files.isExecutable(NICE)) {
      cmd.add(NICE.toString());
      cmd.add("-n");
      cmd.add(Integer.toString(lower));
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

  /** The nice value the property (or the environment) asks for: {@value #DEFAULT_NICE} when unset or not a number. */
  static int configuredNice() {
    String v = System.getProperty(NICE_PROPERTY, System.getenv(NICE_ENV));
    if (v == null || !v.trim().matches("\\d{1,2}")) {
      return DEFAULT_NICE;
    }
    return Math.min(19, Integer.parseInt(v.trim()));
  }

  /**
   * What {@code nice -n} adds to the starting thread's nice value {@code own} for the service to run at {@code wanted}:
   * 0 when it is there already, or when {@code own} is unknown ({@link #UNKNOWN}: no {@code /proc}).
   */
  static int niceIncrement(int wanted, int own) {
    return own == UNKNOWN ? 0 : Math.max(0, wanted - own);
  }

  /** A nice value not known. */
  static final int UNKNOWN = Integer.MIN_VALUE;

  /** The nice value in a Linux {@code stat} file (its 19th field), or {@link #UNKNOWN} when it cannot be read. */
  static int niceOf(Path stat) {
    try {
      String line = Files.readString(stat);
      return Integer.parseInt(line.substring(line.lastIndexOf(')') + 2).split(" ")[16]);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
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
