package dev.trainlog.cli;

import dev.trainlog.cli.common.Durations;
import dev.trainlog.mongodb.schema.StoreSchema;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every command reads its store from; {@code --config} takes the first mongodb backend of a YAML. */
final class StoreOptions {

  @Option(names = "--store", paramLabel = "URI",
      description = "embedded:<dir> or a mongodb:// URI (default: " + StoreSchema.DEFAULT_URI + ").")
  String store;

  @Option(names = "--database", paramLabel = "NAME",
      description = "Database (default: " + StoreSchema.DEFAULT_DATABASE + ").")
  String database;

  @Option(names = "--collection", paramLabel = "NAME",
      description = "Step collection (default: " + StoreSchema.DEFAULT_STEPS + ").")
  String collection;

  @Option(names = "--config", paramLabel = "FILE.yaml",
      description = "Read uri, database and collection from the first mongodb backend of this YAML.")
  Path config;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long to wait for the server (default: ${DEFAULT-VALUE}).")
  String timeout;

  /** What to connect to: explicit options win over {@code --config}, which wins over the defaults. */
  StoreSpec spec() {
    StoreSpec base = config == null ? StoreSpec.defaults() : YamlStoreConfig.read(config);
    Duration wait = Durations.parse(timeout, "--timeout");
    return new StoreSpec(store != null ? store : base.uri(), database != null ? database : base.database(),
        collection != null ? collection : base.collection(), base.runsCollection(), wait);
  }
}
