package dev.trainlog.cli;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.internal.EmbeddedPortFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog serve}: an embedded store over the MongoDB wire protocol on 127.0.0.1, for mongosh, Compass or pandas. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serve an embedded store over the MongoDB wire protocol on 127.0.0.1 and print its connection "
        + "string; Ctrl-C stops it.")
final class ServeCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "27017",
      description = "The port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    StoreSpec spec = storeOptions.spec();
    if (!spec.uri().startsWith(EmbeddedMongo.SCHEME)) {
      throw CliException.usage("serve needs an embedded store (--store embedded:<dir>); "
          + dev.trainlog.api.Secrets.redactText(spec.uri()) + " is a MongoDB server already");
    }
    Path dir = EmbeddedMongo.directoryOf(spec.uri());
    Optional<Integer> live = EmbeddedPortFile.read(dir);
    if (live.isPresent()) {
      root.out.println("the store is live: the process running it serves it at " + connection(live.get(), spec));
      return TrainlogCli.OK;
    }
    if (!Files.isRegularFile(dir.resolve(EmbeddedMongo.FILE_NAME))) {
      throw CliException.nothing("the store " + spec.uri() + " is empty: nothing was logged to " + dir + " yet");
    }
    H2Backend backend;
    try {
      backend = new H2Backend(dir.resolve(EmbeddedMongo.FILE_NAME).toString());
    } catch (RuntimeException e) {
      throw new CliException(TrainlogCli.USAGE, "cannot open the embedded store in " + dir + ": " + e.getMessage(), e);
    }
    MongoServer server = new MongoServer(backend);
    server.enableOplog();
    try {
      server.bind("127.0.0.1", port);
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw CliException.usage("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + "); pass another --port");
    }
    int bound = server.getLocalAddress().getPort();
    try {
      EmbeddedPortFile.write(dir, bound);
      root.out.println("serving " + dir + " at " + connection(bound, spec));
      root.out.println("  mongosh \"" + connection(bound, spec) + "\"   (npx mongosh@2.5.10; 2.12 refuses this server)");
      root.out.println("  other trainlog commands reach it too; Ctrl-C stops it");
      root.out.flush();
      while (!root.stop.await(500)) {
        // serving happens on the server's own threads; this one only waits for Ctrl-C
      }
      return TrainlogCli.OK;
    } catch (IOException e) {
      throw CliException.usage("cannot write " + dir.resolve(EmbeddedPortFile.FILE_NAME) + ": " + e.getMessage());
    } finally {
      EmbeddedPortFile.delete(dir, bound);
      server.shutdown();
      root.out.println("stopped serving " + dir);
    }
  }

  private static String connection(int port, StoreSpec spec) {
    return "mongodb://127.0.0.1:" + port + "/" + spec.database();
  }
}
