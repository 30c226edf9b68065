package dev.trainlog.cli;

import dev.trainlog.mongodb.internal.MongoBackendConfig;
import java.time.Duration;

/** Where the runs and steps live: a URI (or {@code embedded:<dir>}), the database and both collections. */
record StoreSpec(String uri, String database, String collection, String runsCollection, Duration timeout) {

  static StoreSpec defaults() {
    return new StoreSpec(MongoBackendConfig.DEFAULT_URI, MongoBackendConfig.DEFAULT_DATABASE,
        MongoBackendConfig.DEFAULT_COLLECTION, MongoBackendConfig.DEFAULT_RUNS_COLLECTION, Duration.ofSeconds(5));
  }
}
