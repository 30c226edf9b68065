package dev.trainlog.mongodb.internal;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The in-process wire-protocol server behind {@code embedded:<dir>}. The only class that touches the
 * optional mongo-java-server classes, so the backend loads without them when {@code uri} is a real
 * MongoDB.
 */
final class EmbeddedServer {

  private final H2Backend backend;
  private final MongoServer server;
  private final String uri;
  private final int port;

  private EmbeddedServer(H2Backend backend, MongoServer server, int port) {
    this.backend = backend;
    this.server = server;
    this.port = port;
    this.uri = "mongodb://127.0.0.1:" + port;
  }

  /** Opens (or creates) {@code file} and serves it on a free loopback port. */
  static EmbeddedServer start(Path file) {
    H2Backend backend = new H2Backend(file.toString());
    MongoServer server = new MongoServer(backend);
    // the oplog lets alert watchers use change streams against the embedded store too
    server.enableOplog();
    InetSocketAddress address;
    try {
      address = bindLoopback(server);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return new EmbeddedServer(backend, server, address.getPort());
  }

  private static InetSocketAddress bindLoopback(MongoServer server) {
    server.bind("127.0.0.1", 0);
    return server.getLocalAddress();
  }

  String uri() {
    return uri;
  }

  int port() {
    return port;
  }

  /** Writes everything acknowledged so far to the file; H2 would otherwise wait up to a second. */
  void commit() {
    backend.commit();
  }

  /** Stops serving, commits and closes the file. */
  void shutdown() {
    server.shutdown();
  }
}
