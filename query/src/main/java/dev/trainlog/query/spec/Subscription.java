package dev.trainlog.query.spec;

/** A live feed of a run's new points; closing it stops the feed's thread. */
public interface Subscription extends AutoCloseable {

  /** "change stream" when the server pushes inserts, "polling" otherwise. */
  String mode();

  @Override
  void close();
}
