package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.ServerFile;
import dev.trainlog.mongodb.store.StoreServiceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog store stop}: stops the store service cleanly (its file committed and closed). */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop the store service of an embedded store; trainers still logging keep their records in their"
        + " journals and start it again when they write.")
final class StoreStopCommand implements Callable<Integer> {

  /** How long the service gets to commit and close its file: 30 s. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @ParentCommand StoreCommand store;
  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    Path dir = StoreStatusCommand.embeddedDir(storeOptions.spec(), "stop");
    Optional<ServerFile> running = ServerFile.read(dir).filter(ServerFile::processAlive);
    try {
      if (running.isEmpty() || !EmbeddedMongo.stop(dir, STOP_WAIT)) {
        store.root.out.println("no store service runs for " + dir);
        return ExitCodes.NOTHING_MATCHED;
      }
    } catch (StoreServiceException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    store.root.out.println("stopped the store service of " + dir + " (pid " + running.get().pid() + ")");
    return ExitCodes.OK;
  }
}
