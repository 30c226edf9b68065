package dev.trainlog.mongodb.internal.service;

/** The store service of a directory could not be reached or started; the message is one line for a person. */
public final class StoreServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StoreServiceException(String message) {
    super(message);
  }

  StoreServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
