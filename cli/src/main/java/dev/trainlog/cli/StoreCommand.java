package dev.trainlog.cli;

import picocli.CommandLine.Command;

/** {@code trainlog store status|stop|copy}: the local store service of an embedded store. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "The store service of an embedded store: show it (status), stop it (stop), copy the store into"
        + " a real MongoDB (copy).",
    subcommands = {StoreStatusCommand.class, StoreStopCommand.class, StoreCopyCommand.class})
final class StoreCommand {

  @picocli.CommandLine.ParentCommand TrainlogCli root;
}
