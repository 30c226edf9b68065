package dev.trainlog.mongodb.internal;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.mongodb.store.StoreServiceException;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each kept record as one document with unordered inserts keyed by the record's identity, so
 * a replayed batch inserts nothing twice; keeps the run's entry in the runs collection current, and that
 * of every other run whose records it is handed (a journal left by a process that is gone, a resend).
 */
final class MongoBackend implements LogBackend {

  private static final Logger LOG = LoggerFactory.getLogger(MongoBackend.class);

  /** The server's document limit, 16 MiB. */
  static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

  /** A time-series collection's document limit, 4 MiB. */
  static final int MAX_TIME_SERIES_DOCUMENT_BYTES = 4 * 1024 * 1024;

  private final String name;
  private final RunInfo run;
  private final MongoBackendConfig config;
  private final Clock clock;
  private final UnaryOperator<String> env;
  private final DocumentMapper mapper;
  private final int maxDocumentBytes;
  private final UnaryOperator<MongoClientSettings> clientSettings;
  /** Whether this backend resends ({@code trainlog resend}): it is no run, every record is another run's. */
  private final boolean resending;
  /** The entries of the runs other than {@link #run} whose records this backend writes. */
  private final OtherRuns others;

  private MongoClient client;
  /** The store directory of an {@code embedded:} URI, null for a real MongoDB. */
  private Path embeddedDir;
  private String connectedUri;
  private MongoCollection<RawBsonDocument> steps;
  private GridFsFiles files;
  private SeriesRollups rollups;
  private RunsDocument runsDocument;
  private java.util.function.Supplier<java.util.Map<String, String>> sampling = java.util.Map::of;
  private RunSummary summary = new RunSummary();
  private final IdCollisions collisions;
  private Long lastStep;
  private final StepInserts inserts = new StepInserts();
  private long lastHeartbeatMillis;
  private boolean closed;
  /** Whether a close failed, so that the next one connects again to end the run. */
  private boolean closeFailed;

  MongoBackend(String name, RunInfo run, MongoBackendConfig config, Clock clock, UnaryOperator<String> env) {
    this(name, run, config, clock, env, UnaryOperator.identity());
  }

  /** As above; {@code clientSettings} adjusts the driver settings, e.g. a test adding a command listener. */
  MongoBackend(String name, RunInfo run, MongoBackendConfig config, Clock clock, UnaryOperator<String> env,
      UnaryOperator<MongoClientSettings> clientSettings) {
    this.name = name;
    this.run = run;
    this.config = config;
    this.clock = clock;
    this.env = env;
    this.clientSettings = clientSettings;
    boolean timeSeries = config.timeSeries() != null;
    this.mapper = new DocumentMapper(timeSeries, config.configSnapshot());
    this.collisions = new IdCollisions(name, mapper);
    this.maxDocumentBytes = timeSeries ? MAX_TIME_SERIES_DOCUMENT_BYTES : MAX_DOCUMENT_BYTES;
    this.resending = "true".equals(env.apply(MongoBackendProvider.RESEND_VAR));
    this.others = new OtherRuns(clock, config.heartbeatInterval().toMillis(), resending);
  }

  /** Where the run's backends and their sampling in words come from, for the runs document. */
  void recordSampling(java.util.function.Supplier<java.util.Map<String, String>> backends) {
    this.sampling = backends;
  }

  @Override
  public void open() throws Exception {
    try {
      if (client == null) {
        connect();
      }
      MongoDatabase db = client.getDatabase(config.database());
      CollectionSetup.prepare(db, config);
      bindCollections();
      rollups.prepare();
      if (!resending) {
        summary = runsDocument.storedSummary();
        runsDocument.start();
      }
      lastHeartbeatMillis = clock.millis();
    } catch (MongoException e) {
      disconnect();
      BackendException failure = translate("open", e);
      LOG.warn("{}", failure.getMessage());
      throw failure;
    } catch (RuntimeException | Error e) {
      disconnect();
      throw e;
    }
    LOG.info("MongoDB backend '{}' writes {}.{} at {}", name, config.database(), config.collection(),
        Secrets.redactText(config.uri()));
  }

  private void bindCollections() {
    MongoDatabase db = client.getDatabase(config.database());
    steps = db.getCollection(config.collection(), RawBsonDocument.class);
    files = new GridFsFiles(db, "fs");
    rollups = new SeriesRollups(name, db.getCollection(StoreSchema.seriesCollection(config.collection())));
    runsDocument = new RunsDocument(db.getCollection(config.runsCollection()), run, clock,
        config.heartbeatInterval().toMillis(), sampling.get());
    others.bind(db.getCollection(config.runsCollection()));
    if (resending) {
      // the resending process is no run: its own entry is neither created nor ended
      runsDocument = null;
    }
  }

  private void connect() throws BackendException {
    String uri = config.uri();
    boolean embedded = uri.startsWith(EmbeddedStores.SCHEME);
    if (embedded) {
      embeddedDir = EmbeddedStores.directoryOf(uri);
      try {
        uri = EmbeddedStores.connect(embeddedDir);
      } catch (StoreServiceException e) {
        // the records wait in the journal until the service can start (or the user fixed what it says)
        throw new BackendException(e.getMessage(), e, true);
      }
    }
    connectedUri = uri;
    client = MongoClients.create(clientSettings.apply(MongoConnector.settings(config, uri, embedded, env)));
  }

  /**
   * After a failed call on an embedded store: starts its service again if it is gone (killed, idle
   * stopped) and follows it to a new port, so the retry that follows reaches it.
   */
  private void revive() {
    if (embeddedDir == null || client == null) {
      return;
    }
    try {
      String uri = EmbeddedStores.connect(embeddedDir);
      if (!uri.equals(connectedUri)) {
        LOG.info("MongoDB backend '{}': the store service of {} moved to {}; reconnecting", name, embeddedDir, uri);
        client.close();
        connectedUri = uri;
        client = MongoClients.create(clientSettings.apply(MongoConnector.settings(config, uri, true, env)));
        bindCollections();
      }
    } catch (StoreServiceException e) {
      LOG.warn("MongoDB backend '{}': {}; its records wait in the journal", name, e.getMessage());
    }
  }

  @Override
  public void write(List<LogRecord> batch) throws Exception {
    Set<LogRecord> failed = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<LogRecord> duplicates = Collections.newSetFromMap(new IdentityHashMap<>());
    List<String> reasons = new ArrayList<>();
    List<RawBsonDocument> docs = new ArrayList<>(batch.size());
    List<LogRecord> sent = new ArrayList<>(batch.size());
    // GridFS ids that are not <run id>/<content id>, per record (another content under a content id used again)
    Map<LogRecord, Map<String, String>> moved = new IdentityHashMap<>();
    for (LogRecord record : batch) {
      if (MetricValues.hasFiles(record.metrics())) {
        try {
          Map<String, String> ids = files.store(record); // before the step document, which refers to them
          if (!ids.isEmpty()) {
            moved.put(record, ids);
          }
        } catch (MongoException e) {
          revive(); // a batch with an image fails here first when the embedded store's service is gone
          throw translate("write", e);
        }
      }
      RawBsonDocument doc = mapper.toRaw(record, moved.getOrDefault(record, Map.of()));
      int size = doc.getByteBuffer().remaining();
      if (size > maxDocumentBytes) {
        failed.add(record);
        reasons.add(record.id() + ": document of " + size + " bytes exceeds the limit of " + maxDocumentBytes);
      } else {
        docs.add(doc);
        sent.add(record);
      }
    }
    if (!docs.isEmpty()) {
      // the channel's batch-size is the documents per insert; the driver splits past the server's limits
      insert(docs, sent, failed, duplicates, reasons);
    }
    inserts.ownFromBefore(duplicates); // its answer was lost: not counted in the summary and rollups yet
    if (!duplicates.isEmpty()) {
      try {
        collisions.resolve(steps, new ArrayList<>(duplicates), moved).forEach(duplicates::remove);
      } catch (MongoException e) {
        revive();
        throw translate("write", e);
      }
    }
    List<LogRecord> ofOthers = new ArrayList<>();
    for (LogRecord record : batch) {
      if (failed.contains(record)) {
        continue;
      }
      boolean own = isOwn(record);
      if (own) {
        lastStep = lastStep == null ? record.step() : Math.max(lastStep, record.step());
      } else {
        ofOthers.add(record);
      }
      if (!duplicates.contains(record)) {
        // a replayed record the store already holds was counted when it was first written
        if (own) {
          summary.add(record);
        }
        rollups.add(record);
      }
    }
    // after the steps, never instead of them: a failed rollup write is logged and counted, not thrown
    rollups.write();
    if (!ofOthers.isEmpty()) {
      updateOtherRuns(ofOthers, duplicates);
    }
    if (!failed.isEmpty()) {
      throw new BackendException(failed.size() + " of " + batch.size() + " records were refused by "
          + config.database() + "." + config.collection() + ": " + String.join("; ", reasons), null, false,
          batch.stream().filter(failed::contains).collect(Collectors.toList()));
    }
  }

  /** Whether {@code record} is of the run and rank this backend was made for (not resent, not left behind). */
  private boolean isOwn(LogRecord record) {
    return !resending && record.run().rank() == run.rank() && record.run().runId().equals(run.runId());
  }

  /** A run whose records came from a journal its process left: its entry says how that process closed it. */
  @Override
  public void otherRunEnded(RunInfo of, RunStatus status, long endTimeMillis) throws BackendException {
    if (!resending && of.rank() == run.rank() && of.runId().equals(run.runId())) {
      return;
    }
    try {
      others.ended(of, status, endTimeMillis);
    } catch (MongoException e) {
      revive();
      throw translate("runs update", e);
    }
  }

  private void updateOtherRuns(List<LogRecord> written, Set<LogRecord> duplicates) throws BackendException {
    try {
      others.update(written, duplicates);
    } catch (MongoException e) {
      revive();
      throw translate("runs update", e);
    }
  }

  private void insert(List<RawBsonDocument> docs, List<LogRecord> records, Set<LogRecord> failed,
      Set<LogRecord> duplicates, List<String> reasons) throws BackendException {
    try {
      inserts.insert(steps, docs, records, failed, duplicates, reasons);
    } catch (MongoException | IllegalArgumentException e) {
      revive();
      throw translate("write", e);
    }
  }

  @Override
  public void flush() throws Exception {
    // an embedded store's service commits each write before it acknowledges it: nothing to do here
    if (runsDocument != null && clock.millis() - lastHeartbeatMillis >= config.heartbeatInterval().toMillis()) {
      try {
        runsDocument.heartbeat(lastStep, summary);
        lastHeartbeatMillis = clock.millis();
      } catch (MongoException e) {
        revive();
        throw translate("heartbeat", e);
      }
    }
  }

  /**
   * Ends the run's entry and lets go of the client. A failure leaves the backend open to a second call, which the core
   * makes when it is retryable (a server down): the entry would otherwise say {@code running} for good.
   */
  @Override
  public void close(RunStatus status) throws Exception {
    if (closed) {
      return;
    }
    if (client == null && !closeFailed) {
      closed = true; // never opened (an open that failed let go of its client): there is no run to end here
      return;
    }
    try {
      if (client == null) {
        connect(); // a close tried again: the failed one let go of its client
        bindCollections();
      }
      if (runsDocument != null) {
        finish(status);
      }
    } catch (MongoException e) {
      closeFailed = true;
      disconnect();
      throw translate("close", e);
    } catch (RuntimeException | Error e) {
      closeFailed = true;
      disconnect();
      throw e;
    }
    closed = true;
    disconnect();
  }

  private void finish(RunStatus status) {
    try {
      runsDocument.finish(status, lastStep, summary);
    } catch (MongoException e) {
      if (embeddedDir == null) {
        throw e;
      }
      // the service went away (killed, replaced): once more on the one that runs now
      revive();
      runsDocument.finish(status, lastStep, summary);
    }
  }

  /**
   * Closes the client and lets go of the embedded server, if any. A failed {@link #open} calls it
   * too: the core closes only backends that opened, and the next attempt connects afresh.
   */
  private void disconnect() {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      client = null;
    }
  }

  @Override
  public boolean isRetryable(Exception failure) {
    if (failure instanceof BackendException) {
      return ((BackendException) failure).retryable();
    }
    return MongoFailures.isRetryable(failure);
  }

  private BackendException translate(String action, RuntimeException e) {
    return new BackendException("MongoDB " + action + " failed for backend '" + name + "' ("
        + Secrets.redactText(config.uri()) + "): " + Secrets.redactText(MongoFailures.reason(e)), e,
        MongoFailures.isRetryable(e));
  }

  /** How many series rollup reads and writes failed (the steps were stored regardless). */
  long rollupFailures() {
    return rollups == null ? 0 : rollups.failures();
  }

  @Override
  public String toString() {
    return "MongoBackend{name=" + name + ", uri=" + Secrets.redactText(config.uri()) + ", collection="
        + config.database() + "." + config.collection() + "}";
  }
}
