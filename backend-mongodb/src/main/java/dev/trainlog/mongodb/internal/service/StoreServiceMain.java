package dev.trainlog.mongodb.internal.service;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The store service's process: {@code java -cp <classpath> } this class {@code <dir> [--port N]
 * [--fallback] [--oplog] [--idle-timeout-ms N]}. Any process with the MongoDB module on its class path can
 * start it; it runs until idle or SIGTERM, and says why it could not start in one line prefixed
 * {@value #ERROR_PREFIX} on stderr.
 */
public final class StoreServiceMain {

  /** The prefix of the one line a service that cannot start prints: {@value}. */
  public static final String ERROR_PREFIX = "trainlog-store: ";

  /** Exit code when the pinned port is taken: {@value}. */
  static final int PORT_TAKEN = 3;

  /** Exit code for any other failure to start: {@value}. */
  static final int FAILED = 4;

  private StoreServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]).toAbsolutePath().normalize();
    int port = 0;
    boolean fallback = false;
    boolean oplog = false;
    Duration idle = ServiceLauncher.DEFAULT_IDLE_TIMEOUT;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--fallback" -> fallback = true;
        case "--oplog" -> oplog = true;
        case "--idle-timeout-ms" -> idle = Duration.ofMillis(Long.parseLong(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    StoreService service;
    try {
      service = StoreService.start(dir, port, fallback, idle, oplog);
    } catch (StoreService.AlreadyServed e) {
      // lost a race: the winner advertises itself and the clients connect to it
      System.err.println(ERROR_PREFIX + e.getMessage());
      return;
    } catch (StoreService.PortTaken e) {
      System.err.println(ERROR_PREFIX + "cannot serve " + dir + ": " + e.getMessage()
          + "; pass another --port, or stop what listens there");
      System.exit(PORT_TAKEN);
      return;
    } catch (Exception e) {
      System.err.println(ERROR_PREFIX + startFailure(dir, e));
      System.exit(FAILED);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "trainlog-store-stop"));
    service.awaitStop();
    System.exit(0);
  }

  /** Why the service could not start, for a person: a full disk named as such, else the failure itself. */
  static String startFailure(Path dir, Exception e) {
    if (StoreFileFailure.diskFull(dir, e)) {
      return "cannot serve " + dir + ": the disk is full; free space on it, and the records waiting in the trainers'"
          + " journals are stored when a new service starts";
    }
    return "cannot serve " + dir + ": " + e + " (is the directory writable and the disk not full?)";
  }
}
