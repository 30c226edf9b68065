package dev.trainlog.mongodb.store;

/** The store service of a directory could not be reached or started; the message is one line for a person. */
public final class StoreServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreServiceException(String message) {
    super(message);
  }

  public StoreServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
