package dev.trainlog.query.spec;

import java.util.List;

/**
 * A run's new steps, pulled by the caller: from a change stream where the server has one, else by polling
 * for steps above the last one seen. A lost connection surfaces as the driver's exception from
 * {@link #next()}, so the caller decides how to reconnect.
 */
public interface StepFeed extends AutoCloseable {

  /** The steps stored since the last call, in order; may be empty. */
  List<StepValues> next();

  /** "change stream" or "polling". */
  String mode();

  @Override
  void close();
}
