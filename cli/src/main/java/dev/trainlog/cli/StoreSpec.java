package dev.trainlog.cli;

import dev.trainlog.mongodb.schema.StoreSchema;
import java.time.Duration;

/** Where the runs and steps live: a URI (or {@code embedded:<dir>}), the database and both collections. */
record StoreSpec(String uri, String database, String collection, String runsCollection, Duration timeout) {

  static StoreSpec defaults() {
    return new StoreSpec(StoreSchema.DEFAULT_URI, StoreSchema.DEFAULT_DATABASE, StoreSchema.DEFAULT_STEPS, StoreSchema.DEFAULT_RUNS,
        Duration.ofSeconds(5));
  }
}
