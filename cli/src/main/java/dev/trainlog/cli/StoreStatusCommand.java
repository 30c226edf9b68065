package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.ServerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog store status}: whether the store service runs, where, for whom, and how big its file is. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the store service of an embedded store: process, URI, connected clients, file size."
        + " Starts nothing.")
final class StoreStatusCommand implements Callable<Integer> {

  /** The application name of this command's own connection, left out of the clients it reports: {@value}. */
  static final String SELF = "trainlog-store-status";

  @ParentCommand StoreCommand store;
  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    Path dir = embeddedDir(storeOptions.spec(), "status");
    var out = store.root.out;
    out.println("store     " + dir);
    out.println("size      " + size(dir.resolve(EmbeddedMongo.FILE_NAME)));
    Optional<ServerFile> service = EmbeddedMongo.runningService(dir);
    if (service.isEmpty()) {
      Optional<ServerFile> stale = ServerFile.read(dir);
      out.println("service   not running" + (stale.isPresent() && stale.get().processAlive()
          ? " (pid " + stale.get().pid() + " of TrainLog " + stale.get().version() + " holds it; this is "
          + EmbeddedMongo.serviceVersion() + ")"
          : "; the next trainer or command that needs it starts it"));
      return ExitCodes.OK;
    }
    ServerFile f = service.get();
    Duration up = Duration.between(f.started(), store.root.clock.instant());
    out.println("service   running, pid " + f.pid() + ", TrainLog " + f.version() + ", up " + Durations.format(
        up.isNegative() ? Duration.ZERO : up.withNanos(0)));
    out.println("uri       " + f.uri());
    out.println("clients   " + clients(f));
    return ExitCodes.OK;
  }

  private String clients(ServerFile f) {
    var settings = com.mongodb.MongoClientSettings.builder()
        .applyConnectionString(new com.mongodb.ConnectionString(f.uri())).applicationName(SELF)
        .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS)).build();
    try (MongoClient client = com.mongodb.client.MongoClients.create(settings)) {
      Document status = client.getDatabase("admin").runCommand(new Document("trainlogStatus", 1));
      List<String> apps = status.getList("applications", String.class).stream().filter(a -> !a.equals(SELF)).toList();
      if (apps.isEmpty()) {
        return "none (it stops by itself when idle)";
      }
      return apps.size() + " connection(s): " + String.join(", ", apps.stream().distinct()
          .map(a -> a.isEmpty() ? "unnamed" : a).map(a -> a + " ×" + apps.stream().filter(
              b -> (b.isEmpty() ? "unnamed" : b).equals(a)).count()).toList());
    } catch (MongoException e) {
      return "unknown (" + Secrets.redactText(TrainlogCli.oneLine(e)) + ")";
    }
  }

  private static String size(Path file) {
    try {
      long bytes = Files.size(file);
      return bytes < 1024 * 1024 ? (bytes / 1024) + " KiB" : String.format(java.util.Locale.ROOT, "%.1f MiB",
          bytes / (1024.0 * 1024.0));
    } catch (IOException e) {
      return "empty (nothing logged yet)";
    }
  }

  /** The directory of the embedded store a {@code store} command names; a {@code mongodb://} URI is refused. */
  static Path embeddedDir(StoreSpec spec, String command) {
    if (!spec.uri().startsWith(EmbeddedMongo.SCHEME)) {
      throw CliException.usage("store " + command + " needs an embedded store (--store embedded:<dir>); "
          + Secrets.redactText(spec.uri()) + " is a MongoDB server");
    }
    return EmbeddedMongo.directoryOf(spec.uri());
  }
}
