package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainlog.core.internal.config.SettingsView;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key of the config record is read from kebab-case YAML through the settings view the core gives. */
class ConfigBindingTest {

  private final ObjectMapper yamlMapper = new ObjectMapper(new YAMLFactory());

  private MongoBackendConfig read(String yaml) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> values = yaml.isBlank() ? Map.of() : yamlMapper.readValue(yaml, Map.class);
    SettingsView view = SettingsView.of("backends.mongo", values);
    MongoBackendConfig config = MongoSettingsReader.read(view);
    view.throwIfAny();
    return config;
  }

  @Test
  void everyKeyBindsFromKebabCaseYaml() throws Exception {
    MongoBackendConfig c = read(String.join("\n",
        "uri: mongodb://db.example:27017/?tls=true",
        "database: logs",
        "collection: steps",
        "runs-collection: run_index",
        "write-concern: {w: majority, journal: true, timeout: 2s}",
        "config-snapshot: [model, lora_rank, batch_size]",
        "indexes:",
        "  - keys: {config.model: 1, metrics.loss: 1}",
        "    name: model_loss",
        "time-series: {granularity: minutes}",
        "server-selection-timeout: 3s",
        "username: trainer",
        "password: s3cret",
        "auth-source: admin",
        "heartbeat-interval: 30s"));

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
    assertThat(c.username()).isEqualTo("trainer");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anEmptySubtreeTakesEveryDefaultAndANumericWReadsAsText() throws Exception {
    assertThat(read("")).isEqualTo(MongoBackendConfig.forUri(null));
    assertThat(read("write-concern: {w: 2}").writeConcern().w()).isEqualTo("2");
    assertThat(read("indexes: []").indexes()).isEmpty();
  }
}
