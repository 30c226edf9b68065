package dev.trainlog.cli.importing;

import java.util.Map;

/**
 * One step read from an event file, ready for {@code LogDispatcher.logImported}: consecutive events
 * of the same step merged (PyTorch writes one event per {@code add_scalar}), the wall time of the
 * first, and a sequence derived from where the first was read.
 */
public record ImportedStep(long step, long wallTimeMillis, long sequence, Map<String, Object> metrics) {}
