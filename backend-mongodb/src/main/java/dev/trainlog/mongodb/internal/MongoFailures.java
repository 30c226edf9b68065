package dev.trainlog.mongodb.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConfigurationException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.bulk.BulkWriteError;
import java.util.Set;
import org.bson.BsonMaximumSizeExceededException;

/** Sorts driver failures into "try again later" (the server is away) and "will never work". */
final class MongoFailures {

  /**
   * Server codes that a retry cannot fix: unauthorized, auth failed, bad value, invalid options,
   * document too large, validation failed, index conflicts.
   */
  private static final Set<Integer> PERMANENT_CODES = Set.of(2, 9, 13, 18, 67, 72, 85, 86, 121, 10334, 17280);

  private MongoFailures() {}

  /** Unauthorized (13) and AuthenticationFailed (18): the credentials will not start working by themselves. */
  private static final Set<Integer> AUTH_CODES = Set.of(13, 18);

  /** Whether {@code failure} may succeed when tried again: timeouts, sockets, elections; never an auth failure. */
  static boolean isRetryable(Throwable failure) {
    if (isAuthFailure(failure)) {
      return false;
    }
    if (failure instanceof MongoConfigurationException
        || failure instanceof BsonMaximumSizeExceededException || failure instanceof IllegalArgumentException) {
      return false;
    }
    if (failure instanceof MongoCommandException) {
      return !PERMANENT_CODES.contains(((MongoCommandException) failure).getErrorCode());
    }
    if (failure instanceof MongoException) {
      MongoException e = (MongoException) failure;
      return !PERMANENT_CODES.contains(e.getCode()) || e.hasErrorLabel("RetryableWriteError");
    }
    return true;
  }

  /**
   * Whether {@code failure}, or a failure it wraps, is the server refusing the credentials. A server selection
   * timeout names the failure of the last attempt only in its message, so that is read too.
   */
  static boolean isAuthFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MongoSecurityException) {
        return true;
      }
      if (t instanceof MongoCommandException && AUTH_CODES.contains(((MongoCommandException) t).getErrorCode())) {
        return true;
      }
      if (t instanceof MongoTimeoutException && String.valueOf(t.getMessage()).contains(MongoSecurityException.class.getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The server's own words for a failed command (the store service's one line on a full disk), without the
   * driver's dump of the whole reply; any other failure's message.
   */
  static String reason(RuntimeException failure) {
    if (failure instanceof MongoCommandException) {
      MongoCommandException e = (MongoCommandException) failure;
      if (e.getErrorMessage() != null && !e.getErrorMessage().isEmpty()) {
        return e.getErrorMessage() + " (code " + e.getErrorCode() + ")";
      }
    }
    return failure.getMessage();
  }

  /**
   * Whether a bulk item failed only because a document with its {@code _id} exists: the record was
   * written by an earlier attempt. A duplicate on another unique index is a real error.
   */
  static boolean alreadyWritten(BulkWriteError error) {
    if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
      return false;
    }
    String message = error.getMessage();
    return message != null && (message.contains("index: _id_ ") || message.contains("dup key: { _id:"));
  }

  /** Whether the whole bulk must be retried regardless of item errors (replication did not confirm). */
  static boolean writeConcernFailed(MongoBulkWriteException e) {
    return e.getWriteConcernError() != null;
  }
}
