package dev.trainlog.cli.importing;

import picocli.CommandLine.Command;

/** {@code trainlog import}: logs written by other tools, sent through the backends of a YAML file. */
@Command(name = "import", mixinStandardHelpOptions = true, subcommands = ImportTensorBoardCommand.class,
    description = "Import logs written by other tools through the backends (and sampling) of a TrainLog YAML.")
public final class ImportCommand {}
