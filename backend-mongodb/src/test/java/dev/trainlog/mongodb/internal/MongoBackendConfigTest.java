package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import dev.trainlog.api.RunInfo;
import dev.trainlog.mongodb.internal.MongoBackendConfig.WriteConcernConfig;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.Spi;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, validation messages and credentials handling of {@code type: mongodb}. */
class MongoBackendConfigTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "r");

  /** A mapping from alternating keys and values, in order, as YAML gives it. */
  private static Map<String, Object> yaml(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private ConfigException refused(Map<String, Object> settings) {
    return catchThrowableOfType(ConfigException.class, () -> Fixtures.fromSettings(settings, Map.of(), run, dir));
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
  void theProviderIsFoundByTypeAndDeclaresItsSpi() {
    MongoBackendProvider provider = ServiceLoader.load(dev.trainlog.spi.BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("mongodb"))
        .map(MongoBackendProvider.class::cast).findFirst().orElseThrow();
    assertThat(provider.spiVersion()).isEqualTo(Spi.VERSION);
  }

  @Test
  void writeConcernZeroIsRefusedBecauseItLosesWritesSilently() {
    ConfigException e = refused(yaml("uri", "mongodb://localhost", "write-concern", yaml("w", 0)));

    assertThat(e).hasMessage("`backends.mongo.write-concern.w` was '0' but it must be 1, a larger number or 'majority': "
        + "w:0 does not wait for the server and loses writes silently");
  }

  @Test
  void writeConcernMajorityWithJournalAndTimeoutIsBuilt() {
    assertThat(WriteConcerns.from(new WriteConcernConfig("majority", true, Duration.ofSeconds(2))))
        .isEqualTo(WriteConcern.MAJORITY.withJournal(true).withWTimeout(2, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> bad = yaml("uri", "http://user:hunter2@host", "database", "", "runs-collection",
        "experiments", "write-concern", yaml("w", -1), "indexes", List.of(yaml("keys", yaml("config.model", 2))),
        "server-selection-timeout", "0s", "username", "alice", "colection", "x");

    assertThat(refused(bad)).hasMessage("8 problems in the TrainLog configuration:\n"
        + "  - `backends.mongo.uri` was 'http://user:****@host' but it must be a 'mongodb://' or 'mongodb+srv://' "
        + "connection string or 'embedded:<directory>'\n"
        + "  - `backends.mongo.database` was '' but it must be a non-empty name without '$', NUL or a leading '.'\n"
        + "  - `backends.mongo.runs-collection` was 'experiments' but it must be different from `collection`: run "
        + "documents and step documents have different shapes\n"
        + "  - `backends.mongo.write-concern.w` was '-1' but it must be 1, a larger number or 'majority'\n"
        + "  - `backends.mongo.indexes[0].keys.config.model` was '2' but it must be 1, -1, 'text', '2d', '2dsphere' "
        + "or 'hashed' on a field path not starting with '$'\n"
        + "  - `backends.mongo.server-selection-timeout` was '0s' but it must be a positive duration such as 500ms, "
        + "2s or 5m\n"
        + "  - `backends.mongo.password` is missing: `username` and `password` are set together (or come from "
        + "MONGO_USERNAME/MONGO_PASSWORD)\n"
        + "  - `backends.mongo.colection` is not a setting of this backend; did you mean `collection`?");
  }

  @Test
  void timeSeriesGranularityMustBeOneOfTheServersThree() {
    ConfigException e = refused(yaml("uri", "mongodb://localhost", "time-series", yaml("granularity", "days")));

    assertThat(e).hasMessage(
        "`backends.mongo.time-series.granularity` was 'days' but it must be one of seconds, minutes, hours");
  }

  @Test
  void timeSeriesRefusesAUniqueIndexItCannotEnforce() {
    ConfigException e = refused(yaml("uri", "mongodb://localhost", "indexes",
        List.of(yaml("keys", yaml("step", 1), "name", "uniq", "unique", true)), "time-series", yaml("granularity", "seconds")));

    assertThat(e).hasMessage("`backends.mongo.indexes[0].unique` was 'true' but it must be false with `time-series`: "
        + "a time-series collection cannot enforce unique indexes");
  }

  @Test
  void anUnparsableUriIsReportedWithoutItsPassword() {
    ConfigException e = refused(yaml("uri", "mongodb://bob:hunter2@host:notaport"));

    assertThat(e.getMessage()).startsWith("`backends.mongo.uri` was 'mongodb://bob:****@host:notaport' but it must be a valid "
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
