package dev.trainlog.cli.importing;

import java.util.function.BooleanSupplier;

/** A stop signal asked now and then (asking may cost), and remembered once it said stop. */
final class StickyStop implements BooleanSupplier {

  private final BooleanSupplier signal;
  private boolean stopped;

  StickyStop(BooleanSupplier signal) {
    this.signal = signal;
  }

  /** Asks the signal, unless it said stop already. */
  @Override
  public boolean getAsBoolean() {
    if (!stopped) {
      stopped = signal.getAsBoolean();
    }
    return stopped;
  }

  /** Whether the signal said stop when last asked, without asking again. */
  boolean stopped() {
    return stopped;
  }
}
