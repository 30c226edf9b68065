package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.StoreServiceException;
import dev.trainlog.query.TrainlogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * An open connection to the store a command reads. A {@code mongodb://} URI is used as given; an
 * {@code embedded:<dir>} store is reached through its store service, started when none runs.
 */
final class Store implements AutoCloseable {

  private final StoreSpec spec;
  private final MongoClient client;
  private final String description;

  private Store(StoreSpec spec, MongoClient client, String description) {
    this.spec = spec;
    this.client = client;
    this.description = description;
  }

  /** Connects and pings, so an unreachable store fails here with one line (exit 2). */
  static Store open(StoreSpec spec) {
    return open(spec, false);
  }

  /** As {@link #open(StoreSpec)}; with {@code evenEmpty}, an embedded store nothing was logged to yet is served too. */
  static Store open(StoreSpec spec, boolean evenEmpty) {
    Store store = spec.uri().startsWith(EmbeddedMongo.SCHEME) ? openEmbedded(spec, evenEmpty) : openRemote(spec, spec.uri(),
        Secrets.redactText(spec.uri()));
    try {
      store.database().runCommand(new Document("ping", 1));
    } catch (MongoException e) {
      store.close();
      throw new CliException(ExitCodes.USAGE, "cannot reach the store at " + store.description + " within "
          + Durations.format(spec.timeout()) + ": " + firstSentence(e.getMessage()), e);
    }
    return store;
  }

  private static Store openRemote(StoreSpec spec, String uri, String description) {
    ConnectionString cs;
    try {
      cs = new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--store was '" + Secrets.redactText(uri) + "' but it must be embedded:<dir> or a "
          + "mongodb:// URI: " + Secrets.redactText(e.getMessage()));
    }
    long millis = spec.timeout().toMillis();
    MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(cs).applicationName("trainlog-cli")
        .applyToClusterSettings(c -> c.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS))
        .applyToSocketSettings(s -> s.connectTimeout((int) millis, TimeUnit.MILLISECONDS))
        .build();
    return new Store(spec, MongoClients.create(settings), description);
  }

  private static Store openEmbedded(StoreSpec spec, boolean evenEmpty) {
    Path dir = EmbeddedMongo.directoryOf(spec.uri());
    if (!evenEmpty && EmbeddedMongo.uriFor(dir).isEmpty() && !Files.isRegularFile(dir.resolve(EmbeddedMongo.FILE_NAME))) {
      throw CliException.nothing("the store " + spec.uri() + " is empty: nothing was logged to " + dir
          + " yet (run a training job with a mongodb backend first, or pass --store)");
    }
    String uri = serviceUri(dir, 0);
    return openRemote(spec, uri, spec.uri() + " (served at " + uri + ")");
  }

  /** The URI of the store service of {@code dir}, started if none runs; its failure is one line (exit 2). */
  static String serviceUri(Path dir, int port) {
    try {
      return EmbeddedMongo.ensureRunning(dir, port);
    } catch (StoreServiceException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  private static String firstSentence(String message) {
    if (message == null) {
      return "no detail";
    }
    String m = Secrets.redactText(message);
    int cause = m.lastIndexOf("caused by {");
    String reason = cause < 0 ? null : m.substring(cause + "caused by {".length(), m.indexOf('}', cause) < 0
        ? m.length() : m.indexOf('}', cause));
    int cut = m.indexOf(". Client view");
    if (cut > 0) {
      m = m.substring(0, cut);
    }
    if (reason != null) {
      m = m + " (" + reason + ")";
    }
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  MongoDatabase database() {
    return client.getDatabase(spec.database());
  }

  MongoCollection<Document> steps() {
    return database().getCollection(spec.collection());
  }

  MongoCollection<Document> runs() {
    return database().getCollection(spec.runsCollection());
  }

  /** The read API over this store's database and collections; closing it leaves the connection to this store. */
  TrainlogStore query() {
    return query(Clock.systemUTC());
  }

  /** As {@link #query()}, with the clock that tells how long ago a heartbeat was (tests inject one). */
  TrainlogStore query(Clock clock) {
    return TrainlogStore.on(database(), spec.collection(), spec.runsCollection(), clock);
  }

  /** The store as a person should read it in messages, password redacted. */
  String description() {
    return description;
  }

  StoreSpec spec() {
    return spec;
  }

  @Override
  public void close() {
    client.close();
  }
}
