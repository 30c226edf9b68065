package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.ServerFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog serve}: makes sure the store service of an embedded store runs and prints how to connect to it. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Make sure the store service of an embedded store runs (starting it if needed) and print its"
        + " connection string for mongosh, Compass or pymongo. It stops by itself when idle, or with"
        + " `trainlog store stop`.")
final class ServeCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "The port a service started now listens on; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
    StoreSpec spec = storeOptions.spec();
    if (!spec.uri().startsWith(EmbeddedMongo.SCHEME)) {
      throw CliException.usage("serve needs an embedded store (--store embedded:<dir>); "
          + Secrets.redactText(spec.uri()) + " is a MongoDB server already");
    }
    Path dir = EmbeddedMongo.directoryOf(spec.uri());
    Store.serviceUri(dir, port);
    ServerFile service = ServerFile.read(dir).orElseThrow(() -> CliException.usage("the store service of " + dir
        + " stopped right after it started; see " + dir.resolve("service.log")));
    String uri = service.uri() + "/" + spec.database();
    root.out.println("the store service of " + dir + " serves " + uri + " (pid " + service.pid() + ", TrainLog "
        + service.version() + ")");
    if (port != 0 && port != service.port()) {
      root.out.println("  it was already running on port " + service.port() + "; `trainlog store stop` first to serve"
          + " on " + port);
    }
    root.out.println("  mongosh \"" + uri + "\"   (npx mongosh@2.5.10)");
    root.out.println("  python: pymongo.MongoClient(\"" + service.uri() + "\")." + spec.database());
    root.out.println("  trainers and other trainlog commands share it; it stops after a while without clients,"
        + " or with: trainlog store stop --store " + spec.uri());
    return ExitCodes.OK;
  }
}
