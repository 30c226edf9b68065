package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.mongodb.internal.MongoBackendConfig;
import org.junit.jupiter.api.Test;

/** The public names readers use agree with what the MongoDB backend writes by default. */
class StoreSchemaTest {

  @Test
  void readersDefaultToTheStoreTheBackendWritesByDefault() {
    assertThat(StoreSchema.DEFAULT_URI).isEqualTo(MongoBackendConfig.DEFAULT_URI);
    assertThat(StoreSchema.DEFAULT_DATABASE).isEqualTo(MongoBackendConfig.DEFAULT_DATABASE);
    assertThat(StoreSchema.DEFAULT_STEPS).isEqualTo(MongoBackendConfig.DEFAULT_COLLECTION);
    assertThat(StoreSchema.DEFAULT_RUNS).isEqualTo(MongoBackendConfig.DEFAULT_RUNS_COLLECTION);
  }

  @Test
  void escapedKeysReadBackUnchanged() {
    assertThat(StoreSchema.escape("a.b%c")).isEqualTo("a%2Eb%25c");
    assertThat(StoreSchema.unescape(StoreSchema.escape("$x.y%z"))).isEqualTo("$x.y%z");
    assertThat(StoreSchema.metricPath("loss.train")).isEqualTo("metrics.loss%2Etrain");
  }
}
