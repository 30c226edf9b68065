package dev.trainlog.mongodb.internal;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Path;
import java.util.function.Supplier;

/** A real wire-protocol server in the test JVM on a random loopback port; H2-backed ones survive a restart. */
final class TestServer implements AutoCloseable {

  private final Supplier<MongoBackend> backends;
  private final boolean oplog;
  private MongoServer server;
  private int port;

  private TestServer(Supplier<MongoBackend> backends, boolean oplog) {
    this.backends = backends;
    this.oplog = oplog;
    start(0);
  }

  static TestServer memory() {
    return new TestServer(MemoryBackend::new, false);
  }

  static TestServer memoryWithOplog() {
    return new TestServer(MemoryBackend::new, true);
  }

  /** A server whose data lives in {@code file}, so {@link #stop()} and {@link #restart()} keep it. */
  static TestServer h2(Path file) {
    return new TestServer(() -> new H2Backend(file.toString()), false);
  }

  private void start(int onPort) {
    server = new MongoServer(backends.get());
    if (oplog) {
      server.enableOplog();
    }
    server.bind("127.0.0.1", onPort);
    port = server.getLocalAddress().getPort();
  }

  int port() {
    return port;
  }

  String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  void stop() {
    if (server != null) {
      server.shutdown();
      server = null;
    }
  }

  /** Starts again on the same port, as a restarted mongod would. */
  void restart() {
    start(port);
  }

  @Override
  public void close() {
    stop();
  }
}
