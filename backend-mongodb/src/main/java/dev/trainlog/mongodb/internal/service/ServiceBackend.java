package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.bson.Document;
import dev.trainlog.mongodb.internal.service.CoveredQuery.Cover;
import io.netty.channel.Channel;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's H2 backend: it announces MongoDB 5.0's real wire version (13; the library says 8,
 * which pymongo 4.14+ refuses), answers {@code hello}, commits the file before it acknowledges a
 * write (a killed service loses nothing a client was told is stored), and tracks its clients for
 * the idle stop and {@value #STATUS_COMMAND}. Its collections carry a {@link RunFieldIndex}, so per-run
 * reads do not scan the whole store.
 */
final class ServiceBackend extends H2Backend {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceBackend.class);

  /** The admin command {@code trainlog store status} runs: {@value}. */
  static final String STATUS_COMMAND = "trainlogStatus";

  /** MongoDB 5.0 with the wire version real 5.0 servers announce. */
  static final MongoVersion VERSION = new MongoVersion() {
    @Override
    public List<Integer> getVersionArray() {
      return List.of(5, 0, 0);
    }

    @Override
    public int getWireVersion() {
      return 13;
    }
  };

  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
      "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

  /** Open connections and the application name each announced (empty when none). */
  private final Map<Channel, String> clients = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private final Path dir;
  private final AtomicBoolean fileLost = new AtomicBoolean();
  private volatile long idleSinceNanos;

  /** Serves {@code store}, the file of {@code dir}. */
  ServiceBackend(MVStore store, LongSupplier nanos, Path dir) {
    super(store);
    this.nanos = nanos;
    this.dir = dir;
    this.idleSinceNanos = nanos.getAsLong();
    version(VERSION);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new IndexedDatabase(databaseName);
  }

  /**
   * A database whose collections carry a {@link RunFieldIndex}. An inner class: the library opens
   * databases from its own constructor, when only the store (not this backend's fields) is set.
   */
  private final class IndexedDatabase extends H2Database {

    IndexedDatabase(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collection, String name, List<IndexKey> keys,
        boolean sparse) {
      // the map H2Database would open, under the name it gives it, with keys compared by StoreKeyType
      MVMap<KeyValue, Object> map = getMvStore().openMap(getFullCollectionNamespace(collection) + "._index_" + name,
          new MVMap.Builder<KeyValue, Object>().keyType(new StoreKeyType()));
      return new StoreUniqueIndex(map, name, keys, sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collection, String name, List<IndexKey> keys,
        boolean sparse) {
      LOG.debug("store service: secondary index {} on {} accepted; reads use the run index or scan", keys, collection);
      return new AcceptedIndex<>(name, keys);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
      if (name.startsWith("system.") || getDatabaseName().equals("local") || options.getIdField() == null) {
        return super.openOrCreateCollection(name, options);
      }
      // the maps H2Database would open for the collection, under the names it gives them
      String full = getFullCollectionNamespace(name);
      MVMap<Object, Document> data = getMvStore().openMap("databases." + full,
          new MVMap.Builder<Object, Document>().keyType(new StoreKeyType()));
      StreamingCollection collection = new StreamingCollection(this, name, options, data,
          getMvStore().openMap("meta." + full), cursorRegistry, data.getKeyType()::compare);
      MVMap<String, Object> map = getMvStore().openMap(indexMap(name));
      MVMap<String, byte[]> cover = getMvStore().openMap(coverMap(name));
      RunPathIndex paths = new RunPathIndex(getMvStore().openMap(pathMap(name)));
      RunStepIndex steps = new RunStepIndex(getMvStore().openMap(indexMap(name) + "_step"));
      if (collection.isEmpty()) {
        // left over from a dropped collection of the same name
        map.clear();
        cover.clear();
        paths.clear();
        steps.clear();
      }
      RunFieldIndex index = new RunFieldIndex(map, cover, paths, steps);
      collection.addIndex(index);
      collection.runIndex = index;
      return collection;
    }

    @Override
    public void dropCollection(String name, Oplog oplog) {
      MongoCollection<Object> collection = resolveCollection(name, false);
      if (collection != null && collection.getIndexes().stream().anyMatch(i -> i instanceof RunFieldIndex)) {
        // the library drops only the indexes it registered, and refuses to drop a collection that has others
        collection.dropIndex(RunFieldIndex.NAME);
      }
      super.dropCollection(name, oplog);
      getMvStore().removeMap(indexMap(name));
      getMvStore().removeMap(coverMap(name));
      getMvStore().removeMap(pathMap(name));
      getMvStore().removeMap(indexMap(name) + "_step");
    }

    private String indexMap(String collection) {
      return getDatabaseName() + "." + collection + "._" + RunFieldIndex.NAME;
    }

    private String coverMap(String collection) {
      return indexMap(collection) + "_cover";
    }

    private String pathMap(String collection) {
      return indexMap(collection) + "_path";
    }
  }

  /**
   * A collection whose full scan streams: the library collects every document into a list before an
   * aggregate's first stage, which at millions of documents does not fit any heap; streamed, a
   * {@code $match} drops what it does not keep as it reads. A find of one run that reads only covered
   * fields is answered from the run index's records instead of the documents, and so is the scan of an
   * aggregate whose {@code $match} names its runs ({@link AggregateScope}).
   */
  private static final class StreamingCollection extends H2Collection {

    /** The collection's run index, set right after it was added. */
    private RunFieldIndex runIndex;
    private final Comparator<Object> order;

    StreamingCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
        MVMap<String, Object> meta, CursorRegistry cursors, Comparator<Object> order) {
      super(database, name, options, data, meta, cursors);
      this.order = order;
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document projection) {
      Cover cover = runIndex != null && runIndex.canHandle(query) ? CoveredQuery.cover(query, orderBy, projection)
          : Cover.NONE;
      if (cover != Cover.NONE) {
        Stream<Document> read = RunPathIndex.narrows(query)
            ? runIndex.pathDocuments(query, cover, this::getDocument, order)
            : runIndex.coveredDocuments(query, cover, this::getDocument, order);
        return matchDocumentsFromStream(read, query, orderBy, skip, limit, batchSize, projection);
      }
      return super.queryDocuments(query, orderBy, skip, limit, batchSize, projection);
    }

    @Override
    public Stream<Document> queryAllAsStream() {
      Optional<AggregateScope> scope = AggregateScope.take(getDatabaseName(), getCollectionName());
      if (runIndex != null && scope.isPresent()) {
        Optional<List<String>> runs = RunFieldIndex.runsOf(scope.get().match());
        Optional<Stream<Document>> byPath = Optional.empty();
        if (RunPathIndex.narrows(scope.get().match()) && (runs.isPresent() || count() == runIndex.getCount())) {
          // of every run only when every document is under one in the run index (no document without a run)
          byPath = runIndex.pathDocuments(runs.orElse(null), (String) scope.get().match().get(RunPathIndex.QUERY_FIELD),
              scope.get().cover(), this::getDocument, order);
        }
        if (byPath.isPresent()) {
          return scope.get().firstBy() == null ? byPath.get()
              : FirstPerRun.of(byPath.get(), scope.get().match(), scope.get().firstBy(), order);
        }
        if (runs.isPresent()) {
          Optional<Stream<Document>> bySteps = scope.get().firstBy() == null ? Optional.empty()
              : runIndex.stepDocuments(runs.get(), scope.get().match(), scope.get().cover(), this::getDocument, order);
          Stream<Document> documents = bySteps.orElseGet(() -> runIndex.documentsOf(runs.get(), scope.get().cover(),
              this::getDocument, order));
          return scope.get().firstBy() == null ? documents
              : FirstPerRun.of(documents, scope.get().match(), scope.get().firstBy(), order);
        }
      }
      return streamAllDocumentsWithPosition().map(DocumentWithPosition::getDocument);
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    clients.putIfAbsent(channel, "");
    if (name.equals("ismaster") || name.equals("hello")) {
      return handshake(channel, name, query);
    }
    if (name.equals(STATUS_COMMAND.toLowerCase(Locale.ROOT))) {
      return status();
    }
    Optional<AggregateScope> scope = Optional.empty();
    if (name.equals("aggregate") && query.get("pipeline") instanceof List) {
      @SuppressWarnings("unchecked")
      List<Object> pipeline = AggregateNarrowing.narrow((List<Object>) query.get("pipeline"));
      query.put("pipeline", pipeline);
      scope = AggregateScope.of(database, query.get("aggregate"), pipeline);
    }
    try {
      Optional<AggregateScope> scoped = scope;
      Document reply = ReadVersions.during(getMvStore(), () -> scoped.isPresent()
          ? scoped.get().run(() -> super.handleCommand(channel, database, command, query))
          : super.handleCommand(channel, database, command, query));
      if (WRITES.contains(name)) {
        commit();
      }
      return reply;
    } catch (RuntimeException e) {
      throw classified(e);
    }
  }

  /**
   * A failure of the H2 file (a full disk) as one line naming the directory. H2 has closed the file by
   * then: {@link #fileLost()} tells the service to stop, and a client starts a fresh one that reopens it.
   */
  private RuntimeException classified(RuntimeException e) {
    MVStore store = getMvStore();
    MVStoreException closedBy = store.isClosed() ? store.getPanicException() : null;
    Optional<MongoServerError> failure = StoreFileFailure.of(dir, e, closedBy);
    if (failure.isEmpty()) {
      return e;
    }
    if (store.isClosed() && fileLost.compareAndSet(false, true)) {
      LOG.error("{}", failure.get().getMessageWithoutErrorCode(), closedBy != null ? closedBy : e);
    }
    failure.get().setLogError(false);
    return failure.get();
  }

  private Document handshake(Channel channel, String name, Document query) {
    Object client = query.get("client");
    if (client instanceof Document && ((Document) client).get("application") instanceof Document) {
      Object app = ((Document) ((Document) client).get("application")).get("name");
      if (app != null) {
        clients.put(channel, app.toString());
      }
    }
    Document reply = super.handleCommand(channel, "admin", "ismaster", query);
    if (name.equals("hello")) {
      reply.remove("ismaster");
      reply.put("isWritablePrimary", Boolean.TRUE);
    }
    return reply;
  }

  private Document status() {
    Document reply = new Document("clients", clients.size());
    reply.put("applications", List.copyOf(clients.values()));
    reply.put("pid", ProcessHandle.current().pid());
    reply.put("version", StoreVersion.current());
    reply.put("ok", 1.0);
    return reply;
  }

  @Override
  public void handleClose(Channel channel) {
    super.handleClose(channel);
    if (clients.remove(channel) != null && clients.isEmpty()) {
      idleSinceNanos = nanos.getAsLong();
    }
  }

  /** Whether H2 closed the file after a failed write: nothing more can be stored by this service. */
  boolean fileLost() {
    return fileLost.get() || getMvStore().isClosed();
  }

  /** How long no client has been connected, in nanoseconds; zero while one is. */
  long idleNanos() {
    return clients.isEmpty() ? nanos.getAsLong() - idleSinceNanos : 0;
  }
}
