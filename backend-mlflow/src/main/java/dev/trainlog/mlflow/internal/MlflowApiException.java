package dev.trainlog.mlflow.internal;

import dev.trainlog.spi.BackendException;
import java.time.Duration;
import java.util.List;

/**
 * A request the server refused or could not serve, as the core sees any backend failure: retryable
 * or not, with the server's {@code Retry-After} as the hint. It also keeps the HTTP status (0 when no
 * answer came) and MLflow's {@code error_code}, which the backend needs to tell refusals apart.
 */
final class MlflowApiException extends BackendException {

  private static final long serialVersionUID = 1L;

  /** The SQL store's answer to a re-sent identical NaN point: it is already stored. */
  static final String BAD_REQUEST = "BAD_REQUEST";

  private final int status;
  private final String errorCode;

  MlflowApiException(String message, Throwable cause, int status, String errorCode, boolean retryable,
      Duration retryAfter) {
    super(message, cause, retryable, List.of(), retryAfter);
    this.status = status;
    this.errorCode = errorCode;
  }

  MlflowApiException(String message, Throwable cause, int status, String errorCode, boolean retryable) {
    this(message, cause, status, errorCode, retryable, null);
  }

  /** The HTTP status, 0 for a connection failure or a timeout. */
  int status() {
    return status;
  }

  /** MLflow's {@code error_code} (e.g. {@code INVALID_PARAMETER_VALUE}), or {@code null} for HTML errors. */
  String errorCode() {
    return errorCode;
  }
}
