package dev.trainlog.cli;

import picocli.CommandLine.Command;

/** {@code trainlog store status|stop|copy|rollups}: the local store service of an embedded store, and the store's rollups. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "The store service of an embedded store: show it (status), stop it (stop), copy the store into"
        + " a real MongoDB (copy), rebuild series rollups of runs stored without them (rollups).",
    subcommands = {StoreStatusCommand.class, StoreStopCommand.class, StoreCopyCommand.class, StoreRollupsCommand.class})
final class StoreCommand {

  @picocli.CommandLine.ParentCommand TrainlogCli root;
}
