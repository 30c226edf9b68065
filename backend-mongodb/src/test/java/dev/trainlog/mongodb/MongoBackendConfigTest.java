package dev.trainlog.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import dev.trainlog.api.RunInfo;
import dev.trainlog.mongodb.MongoBackendConfig.IndexConfig;
import dev.trainlog.mongodb.MongoBackendConfig.TimeSeriesConfig;
import dev.trainlog.mongodb.MongoBackendConfig.WriteConcernConfig;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.Spi;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, validation messages and credentials handling of {@code type: mongodb}. */
class MongoBackendConfigTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "r");

  private static MongoBackendConfig config(String uri, WriteConcernConfig wc, List<IndexConfig> indexes,
      TimeSeriesConfig ts) {
    return new MongoBackendConfig(uri, null, null, null, wc, null, indexes, ts, null, null, null, null, null);
  }

  private ConfigException refused(MongoBackendConfig config) {
    return catchThrowableOfType(ConfigException.class, () -> Fixtures.backend(config, run, dir));
  }

  @Test
  void defaultsArePinned() {
    MongoBackendConfig c = MongoBackendConfig.forUri(null);
    assertThat(c.uri()).isEqualTo("embedded:trainlog-data/mongo");
    assertThat(c.database()).isEqualTo("ai_training_logs");
    assertThat(c.collection()).isEqualTo("experiments");
    assertThat(c.runsCollection()).isEqualTo("runs");
    assertThat(c.writeConcern()).isEqualTo(new WriteConcernConfig("1", null, null));
    assertThat(WriteConcerns.from(c.writeConcern())).isEqualTo(WriteConcern.W1);
    assertThat(c.configSnapshot()).isNull();
    assertThat(c.indexes()).isEmpty();
    assertThat(c.timeSeries()).isNull();
    assertThat(c.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theProviderIsFoundByTypeAndDeclaresItsSpiAndConfig() {
    MongoBackendProvider provider = ServiceLoader.load(dev.trainlog.spi.BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("mongodb"))
        .map(MongoBackendProvider.class::cast).findFirst().orElseThrow();
    assertThat(provider.spiVersion()).isEqualTo(Spi.VERSION);
    assertThat(provider.configClass()).isEqualTo(MongoBackendConfig.class);
  }

  @Test
  void writeConcernZeroIsRefusedBecauseItLosesWritesSilently() {
    ConfigException e = refused(config("mongodb://localhost", new WriteConcernConfig("0", null, null), null, null));

    assertThat(e).hasMessage("`write-concern.w` was '0' but it must be 1, a larger number or 'majority': "
        + "w:0 does not wait for the server and loses writes silently");
  }

  @Test
  void writeConcernMajorityWithJournalAndTimeoutIsBuilt() {
    assertThat(WriteConcerns.from(new WriteConcernConfig("majority", true, Duration.ofSeconds(2))))
        .isEqualTo(WriteConcern.MAJORITY.withJournal(true).withWTimeout(2, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    MongoBackendConfig bad = new MongoBackendConfig("http://user:hunter2@host", "", null, "experiments",
        new WriteConcernConfig("-1", null, null), null,
        List.of(new IndexConfig(Map.of("config.model", 2), null, null)), null, Duration.ZERO,
        "alice", null, null, null);

    assertThat(refused(bad)).hasMessage("7 problems in the TrainLog configuration:\n"
        + "  - `uri` was 'http://user:****@host' but it must be a 'mongodb://' or 'mongodb+srv://' connection "
        + "string or 'embedded:<directory>'\n"
        + "  - `database` was '' but it must be a non-empty name without '$', NUL or a leading '.'\n"
        + "  - `runs-collection` was 'experiments' but it must be different from `collection`: run documents and "
        + "step documents have different shapes\n"
        + "  - `write-concern.w` was '-1' but it must be 1, a larger number or 'majority'\n"
        + "  - `indexes[0].keys.config.model` was '2' but it must be 1, -1, 'text', '2d', '2dsphere' or 'hashed' "
        + "on a field path not starting with '$'\n"
        + "  - `server-selection-timeout` was 'PT0S' but it must be a positive duration such as '5s'\n"
        + "  - `password` is missing: `username` and `password` are set together (or come from "
        + "MONGO_USERNAME/MONGO_PASSWORD)");
  }

  @Test
  void timeSeriesGranularityMustBeOneOfTheServersThree() {
    ConfigException e = refused(config("mongodb://localhost", null, null, new TimeSeriesConfig("days")));

    assertThat(e).hasMessage("`time-series.granularity` was 'days' but it must be one of seconds, minutes, hours");
  }

  @Test
  void timeSeriesRefusesAUniqueIndexItCannotEnforce() {
    ConfigException e = refused(config("mongodb://localhost", null,
        List.of(new IndexConfig(Map.of("step", 1), "uniq", true)), new TimeSeriesConfig("seconds")));

    assertThat(e).hasMessage("`indexes[0].unique` was 'true' but it must be false with `time-series`: "
        + "a time-series collection cannot enforce unique indexes");
  }

  @Test
  void anUnparsableUriIsReportedWithoutItsPassword() {
    ConfigException e = refused(config("mongodb://bob:hunter2@host:notaport", null, null, null));

    assertThat(e.getMessage()).startsWith("`uri` was 'mongodb://bob:****@host:notaport' but it must be a valid "
        + "connection string (").doesNotContain("hunter2");
  }

  @Test
  void credentialsComeFromTheEnvironmentWhenTheUriHasNone() {
    Map<String, String> env = Map.of("MONGO_USERNAME", "trainer", "MONGO_PASSWORD", "s3cret");
    MongoClientSettings settings = MongoConnector.settings(MongoBackendConfig.forUri("mongodb://db.example:27017"),
        "mongodb://db.example:27017", false, env::get);

    assertThat(settings.getCredential().getUserName()).isEqualTo("trainer");
    assertThat(settings.getCredential().getSource()).isEqualTo("admin");
    assertThat(settings.getCredential().getPassword()).containsExactly("s3cret".toCharArray());
    assertThat(settings.getCredential().toString()).doesNotContain("s3cret");
  }

  @Test
  void credentialsInTheUriWinOverTheEnvironment() {
    Map<String, String> env = Map.of("MONGO_USERNAME", "trainer", "MONGO_PASSWORD", "s3cret");
    String uri = "mongodb://alice:pw@db.example:27017/?authSource=logs&tls=true";
    MongoClientSettings settings = MongoConnector.settings(MongoBackendConfig.forUri(uri), uri, false, env::get);

    assertThat(settings.getCredential().getUserName()).isEqualTo("alice");
    assertThat(settings.getCredential().getSource()).isEqualTo("logs");
    assertThat(settings.getSslSettings().isEnabled()).isTrue();
  }
}
