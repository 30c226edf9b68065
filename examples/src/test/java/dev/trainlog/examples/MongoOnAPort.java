package dev.trainlog.examples;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MongoDB wire-protocol server on one port of this machine, its data in an H2 file: stopped and started again on
 * the same port with what it acknowledged still there, as a real server that goes down and comes back. A JUnit
 * extension ({@code @RegisterExtension}): shut down after each test.
 */
public final class MongoOnAPort implements AutoCloseable, AfterEachCallback {

  private Path file;
  private MongoServer server;
  private int port;

  /** Starts the server: on a free port the first time, on the same port after that. */
  public MongoOnAPort start() {
    if (file == null) {
      try {
        file = Files.createTempDirectory("mongo-on-a-port").resolve("mongo.mv");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    server = new MongoServer(new H2Backend(file.toString()));
    server.bind("127.0.0.1", port);
    port = server.getLocalAddress().getPort();
    return this;
  }

  /** Stops it gracefully (H2 commits what it acknowledged); {@link #start} brings it back on the same port. */
  public void stop() {
    if (server != null) {
      server.shutdown();
      server = null;
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      server = null;
    }
    if (file != null) {
      try (var files = Files.list(file.getParent())) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(file.getParent());
      } catch (IOException e) {
        // a temporary file left behind
      }
      file = null;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }
}
