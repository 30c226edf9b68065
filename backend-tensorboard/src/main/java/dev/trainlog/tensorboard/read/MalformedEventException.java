package dev.trainlog.tensorboard.read;

/**
 * A record whose CRCs matched but whose bytes are not a readable {@code Event}; the reader skips
 * such a record with a warning, like one with a bad CRC.
 */
final class MalformedEventException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MalformedEventException(String message) {
    super(message);
  }
}
