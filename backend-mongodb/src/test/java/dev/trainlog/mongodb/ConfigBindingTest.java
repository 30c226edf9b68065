package dev.trainlog.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config record binds from kebab-case YAML the way the core binds a backend's subtree. */
class ConfigBindingTest {

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new JavaTimeModule());

  @Test
  void everyKeyBindsFromKebabCaseYaml() throws Exception {
    MongoBackendConfig c = yaml.readValue(String.join("\n",
        "uri: mongodb://db.example:27017/?tls=true",
        "database: logs",
        "collection: steps",
        "runs-collection: run_index",
        "write-concern: {w: majority, journal: true, timeout: PT2S}",
        "config-snapshot: [model, lora_rank, batch_size]",
        "indexes:",
        "  - keys: {config.model: 1, metrics.loss: 1}",
        "    name: model_loss",
        "time-series: {granularity: minutes}",
        "server-selection-timeout: PT3S",
        "auth-source: admin",
        "heartbeat-interval: PT30S"), MongoBackendConfig.class);

    assertThat(c.uri()).isEqualTo("mongodb://db.example:27017/?tls=true");
    assertThat(c.database()).isEqualTo("logs");
    assertThat(c.collection()).isEqualTo("steps");
    assertThat(c.runsCollection()).isEqualTo("run_index");
    assertThat(c.writeConcern()).isEqualTo(new MongoBackendConfig.WriteConcernConfig("majority", true, Duration.ofSeconds(2)));
    assertThat(c.configSnapshot()).containsExactly("model", "lora_rank", "batch_size");
    assertThat(c.indexes()).containsExactly(
        new MongoBackendConfig.IndexConfig(Map.of("config.model", 1, "metrics.loss", 1), "model_loss", null));
    assertThat(c.indexes().get(0).keys().keySet()).containsExactly("config.model", "metrics.loss");
    assertThat(c.timeSeries()).isEqualTo(new MongoBackendConfig.TimeSeriesConfig("minutes"));
    assertThat(c.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.authSource()).isEqualTo("admin");
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anEmptySubtreeTakesEveryDefaultAndANumericWBindsAsText() throws Exception {
    assertThat(yaml.readValue("{}", MongoBackendConfig.class)).isEqualTo(MongoBackendConfig.forUri(null));
    assertThat(yaml.readValue("write-concern: {w: 2}", MongoBackendConfig.class).writeConcern().w()).isEqualTo("2");
    assertThat(yaml.readValue("indexes: []", MongoBackendConfig.class).indexes()).isEmpty();
  }
}
