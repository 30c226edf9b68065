package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.StoreServiceException;
import dev.trainlog.mongodb.store.ServerFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the store service: finds the live service of a directory through {@link
 * ServerFile}, or starts one. Starting is serialised by {@value #START_LOCK} across processes (and by a
 * monitor inside this JVM), so racing clients start one service and all connect to it.
 */
public final class ServiceLauncher {

  /** The H2 file a service keeps inside its directory: {@value}. */
  public static final String FILE_NAME = "trainlog.mv";

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  /** A service stops after this long without a client: 10 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** The system property that sets the idle timeout of services this process starts: {@value}. */
  public static final String IDLE_PROPERTY = "trainlog.store.idle-timeout";

  /** The environment variable read when the property is unset: {@value}. */
  public static final String IDLE_ENV = "TRAINLOG_STORE_IDLE_TIMEOUT";

  /**
   * The system property that gives services this process starts an oplog (change streams; much slower
   * ingest, a much larger file): {@value}; the environment variable {@value #OPLOG_ENV} likewise.
   */
  public static final String OPLOG_PROPERTY = "trainlog.store.oplog";

  /** See {@link #OPLOG_PROPERTY}: {@value}. */
  public static final String OPLOG_ENV = "TRAINLOG_STORE_OPLOG";

  /** How long a client waits for a service it started to advertise itself: 30 s (a JVM start on a busy machine). */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** The lock clients hold while they check for and start a service: {@value}. */
  static final String START_LOCK = "start.lock";

  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private ServiceLauncher() {}

  /** The live service of {@code dir} of this TrainLog version, if one answers. */
  public static Optional<ServerFile> running(Path dir) {
    return ServerFile.read(dir).filter(f -> f.processAlive() && StoreVersion.current().equals(f.version())
        && accepts(f.port()));
  }

  /** The URI of the live service of {@code dir}, starting one on any free port if none runs. */
  public static ServerFile ensureRunning(Path dir) {
    return ensureRunning(dir, 0);
  }

  /**
   * As {@link #ensureRunning(Path)}; a non-zero {@code port} pins the port of a service this call
   * starts (a running one is used wherever it listens).
   */
  public static ServerFile ensureRunning(Path dir, int port) {
    Path key = dir.toAbsolutePath().normalize();
    Optional<ServerFile> live = running(key);
    if (live.isPresent()) {
      return live.get();
    }
    try {
      Files.createDirectories(key);
    } catch (IOException e) {
      throw notWritable(key, e);
    }
    synchronized (MONITORS.computeIfAbsent(key, k -> new Object())) {
      try (FileChannel channel = FileChannel.open(key.resolve(START_LOCK), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        return startLocked(key, port);
      } catch (java.nio.channels.FileLockInterruptionException | java.nio.channels.ClosedByInterruptException e) {
        Thread.currentThread().interrupt(); // a backend closing, or a command stopped, while another process starts it
        throw new StoreServiceException("interrupted while starting the store service of " + key, e);
      } catch (IOException e) {
        throw notWritable(key, e);
      }
    }
  }

  private static StoreServiceException notWritable(Path dir, IOException e) {
    String why = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
        ? ((FileSystemException) e).getReason() : e.getClass().getSimpleName();
    return new StoreServiceException("cannot start the store service of " + dir + ": the directory is not writable ("
        + why + "); make it writable, or point `uri: embedded:<dir>` (or --store) at another directory", e);
  }

  private static ServerFile startLocked(Path dir, int port) throws IOException {
    Optional<ServerFile> file = ServerFile.read(dir);
    int preferred = port;
    if (file.isPresent()) {
      ServerFile f = file.get();
      if (f.processAlive() && !StoreVersion.current().equals(f.version())) {
        replaceOtherVersion(dir, f);
      } else if (f.processAlive() && accepts(f.port())) {
        return f;
      } else if (!f.processAlive()) {
        LOG.info("{} in {} names process {}, which is gone: starting a new store service", ServerFile.FILE_NAME, dir,
            f.pid());
      }
      if (port == 0) {
        // clients of the old service reconnect by themselves when the new one listens where it did
        preferred = f.port();
      }
    }
    return spawnAndAwait(dir, preferred, port == 0);
  }

  private static void replaceOtherVersion(Path dir, ServerFile f) {
    String mine = StoreVersion.current();
    if (StoreVersion.isNewer(f.version(), mine)) {
      throw new StoreServiceException("the store service of " + dir + " runs TrainLog " + f.version() + ", newer than"
          + " this program's " + mine + ": upgrade this program, or stop that service with `trainlog store stop"
          + " --store embedded:" + dir + "`");
    }
    LOG.info("the store service of {} runs TrainLog {}, this program is {}: replacing it", dir, f.version(), mine);
    stop(dir, f, START_TIMEOUT);
  }

  private static ServerFile spawnAndAwait(Path dir, int port, boolean fallback) throws IOException {
    boolean oplog = "true".equals(System.getProperty(OPLOG_PROPERTY, System.getenv(OPLOG_ENV)));
    Process process = ServiceProcess.spawn(dir, port, fallback, idleTimeout().toMillis(), oplog);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    boolean lostRace = false;
    while (System.nanoTime() < deadline) {
      Optional<ServerFile> f = ServerFile.read(dir).filter(s -> s.processAlive() && accepts(s.port()));
      if (f.isPresent()) {
        return f.get();
      }
      if (!lostRace && !process.isAlive()) {
        if (process.exitValue() != 0) {
          throw new StoreServiceException(ServiceProcess.lastError(dir).orElseGet(() -> exited(dir, process)));
        }
        // another service held the lock (started without this protocol): wait for its advertisement
        lostRace = true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    process.destroy();
    throw new StoreServiceException("the store service of " + dir + " did not start within "
        + START_TIMEOUT.toSeconds() + " s; see " + dir.resolve(ServiceProcess.LOG_FILE));
  }

  private static String exited(Path dir, Process process) {
    // on a full disk the service could not even write its reason into the log
    if (StoreFileFailure.diskFull(dir, null)) {
      return StoreServiceMain.startFailure(dir, new IOException("No space left on device"));
    }
    return "the store service of " + dir + " exited with code " + process.exitValue() + " before it served; see "
        + dir.resolve(ServiceProcess.LOG_FILE);
  }

  /** Stops the live service of {@code dir} (SIGTERM: it commits and closes the file); false when none ran. */
  public static boolean stop(Path dir, Duration wait) {
    Optional<ServerFile> f = ServerFile.read(dir.toAbsolutePath().normalize());
    if (f.isEmpty() || !f.get().processAlive()) {
      return false;
    }
    stop(dir, f.get(), wait);
    return true;
  }

  private static void stop(Path dir, ServerFile f, Duration wait) {
    Optional<ProcessHandle> handle = ProcessHandle.of(f.pid());
    if (handle.isEmpty()) {
      return;
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new StoreServiceException("the store service of " + dir + " (pid " + f.pid() + ") did not stop within "
          + wait.toSeconds() + " s", e);
    }
  }

  /** The idle timeout for services this process starts: the property, the environment, or the default. */
  static Duration idleTimeout() {
    String v = System.getProperty(IDLE_PROPERTY, System.getenv(IDLE_ENV));
    if (v == null || v.isBlank()) {
      return DEFAULT_IDLE_TIMEOUT;
    }
    return parseDuration(v.trim());
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}; a bare number is milliseconds. */
  static Duration parseDuration(String v) {
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofMillis(Long.parseLong(v));
      };
    } catch (NumberFormatException e) {
      throw new StoreServiceException("the store idle timeout was '" + v + "' but it must be a duration such as 10m,"
          + " 30s or 500ms (" + IDLE_PROPERTY + " or " + IDLE_ENV + ")");
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
