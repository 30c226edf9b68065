package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.ServerFile;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running store service: it holds {@value #LOCK_FILE} for its whole life (so exactly one serves a
 * directory), serves the H2 file on 127.0.0.1, advertises itself in {@link ServerFile}, and stops
 * cleanly (file committed and closed, advertisement removed) when idle or asked to.
 */
final class StoreService {

  private static final Logger LOG = LoggerFactory.getLogger(StoreService.class);

  /** The lock a live service holds in its directory: {@value}. */
  static final String LOCK_FILE = "service.lock";

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ServiceBackend backend;
  private final MongoServer server;
  private final ServerFile advertised;
  private final ScheduledExecutorService idleCheck;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopping;

  private StoreService(Path dir, FileChannel lockChannel, FileLock lock, ServiceBackend backend, MongoServer server,
      ServerFile advertised, Duration idleTimeout) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.backend = backend;
    this.server = server;
    this.advertised = advertised;
    this.idleCheck = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trainlog-store-idle");
      t.setDaemon(true);
      return t;
    });
    long idleNanos = idleTimeout.toNanos();
    long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
    idleCheck.scheduleWithFixedDelay(() -> {
      if (backend.fileLost()) {
        LOG.warn("store service of {}: {} was closed after a failed write, stopping; the next client starts a new"
            + " service", dir, ServiceLauncher.FILE_NAME);
        stop();
      } else if (backend.idleNanos() >= idleNanos) {
        LOG.info("store service of {}: no client for {}, stopping", dir, idleTimeout);
        stop();
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the service for {@code dir} on {@code port} (0: any free one; {@code fallback}: any free one
   * when {@code port} is taken). Throws {@link AlreadyServed} when another service holds the directory.
   */
  static StoreService start(Path dir, int port, boolean fallback, Duration idleTimeout) throws IOException {
    return start(dir, port, fallback, idleTimeout, false);
  }

  /**
   * As above; with {@code oplog} the server keeps an oplog, so change streams work, at a price: it copies
   * every inserted document, which makes ingest about 5× slower and the file about 10× larger.
   */
  static StoreService start(Path dir, int port, boolean fallback, Duration idleTimeout, boolean oplog)
      throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new AlreadyServed(dir);
    }
    ServiceBackend backend = null;
    try {
      backend = new ServiceBackend(MVStore.open(dir.resolve(ServiceLauncher.FILE_NAME).toString()), System::nanoTime, dir);
      MongoServer server = new MongoServer(backend);
      if (oplog) {
        server.enableOplog();
      }
      int bound = bind(server, port, fallback);
      ServerFile file = new ServerFile("mongodb://127.0.0.1:" + bound, bound, ProcessHandle.current().pid(),
          StoreVersion.current(), java.time.Instant.now());
      file.write(dir);
      LOG.info("store service of {} serves {} (pid {}, TrainLog {})", dir, file.uri(), file.pid(), file.version());
      return new StoreService(dir, channel, lock, backend, server, file, idleTimeout);
    } catch (IOException | RuntimeException e) {
      if (backend != null) {
        backend.close();
      }
      lock.release();
      channel.close();
      throw e;
    }
  }

  private static int bind(MongoServer server, int port, boolean fallback) {
    int target = port;
    if (fallback && port != 0 && !free(port)) {
      // the port of a previous service is only a preference; a server that failed to bind cannot bind again
      target = 0;
    }
    try {
      server.bind("127.0.0.1", target);
    } catch (Exception e) {
      // netty throws the checked BindException without declaring it
      server.shutdownNow();
      throw new PortTaken(target, e);
    }
    return server.getLocalAddress().getPort();
  }

  private static boolean free(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  ServerFile advertised() {
    return advertised;
  }

  /** Blocks until the service stopped. */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops serving, commits and closes the file, removes the advertisement and releases the lock; idempotent. */
  void stop() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    try {
      idleCheck.shutdown();
      advertised.deleteIfMine(dir);
      // shutdown() closes the connections, then the backend, which commits and closes the H2 file
      server.shutdown();
      LOG.info("store service of {} stopped; {} is closed", dir, ServiceLauncher.FILE_NAME);
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
      stopped.countDown();
    }
  }

  /** Another live service holds the directory's lock. */
  static final class AlreadyServed extends IOException {
    AlreadyServed(Path dir) {
      super("another store service holds " + dir.resolve(LOCK_FILE));
    }
  }

  /** The pinned port is in use. */
  static final class PortTaken extends RuntimeException {
    PortTaken(int port, Throwable cause) {
      super("port 127.0.0.1:" + port + " is taken", cause);
    }
  }
}
