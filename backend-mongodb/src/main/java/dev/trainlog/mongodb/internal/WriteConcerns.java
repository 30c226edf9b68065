package dev.trainlog.mongodb.internal;

import com.mongodb.WriteConcern;
import java.util.concurrent.TimeUnit;

/** Builds the driver's write concern from {@code write-concern}; validation already refused w:0. */
final class WriteConcerns {

  private WriteConcerns() {}

  static WriteConcern from(MongoBackendConfig.WriteConcernConfig config) {
    String w = config.w().trim();
    WriteConcern wc;
    if (w.equalsIgnoreCase("majority")) {
      wc = WriteConcern.MAJORITY;
    } else if (w.matches("\\d+")) {
      wc = new WriteConcern(Integer.parseInt(w));
    } else {
      // a replica-set tag set name
      wc = new WriteConcern(w);
    }
    if (config.journal() != null) {
      wc = wc.withJournal(config.journal());
    }
    if (config.timeout() != null) {
      wc = wc.withWTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return wc;
  }
}
