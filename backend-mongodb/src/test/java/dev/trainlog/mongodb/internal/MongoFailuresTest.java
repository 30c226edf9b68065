package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** Which driver failures the core may retry. */
class MongoFailuresTest {

  private static final ServerAddress SERVER = new ServerAddress("db.example", 27017);

  @Test
  void anUnreachableOrSteppingDownServerIsRetryable() {
    assertThat(MongoFailures.isRetryable(new MongoSocketReadException("Prematurely reached end of stream", SERVER))).isTrue();
    assertThat(MongoFailures.isRetryable(new MongoTimeoutException("Timed out while waiting for a server"))).isTrue();
    assertThat(MongoFailures.isRetryable(new MongoNotPrimaryException(
        BsonDocument.parse("{ok: 0, code: 10107, errmsg: 'not primary'}"), SERVER))).isTrue();
  }

  @Test
  void badCredentialsAndRefusedCommandsAreNotRetryable() {
    assertThat(MongoFailures.isRetryable(new MongoSecurityException(
        MongoCredential.createCredential("u", "admin", "p".toCharArray()), "Exception authenticating"))).isFalse();
    assertThat(MongoFailures.isRetryable(new MongoCommandException(
        BsonDocument.parse("{ok: 0, code: 13, errmsg: 'not authorized'}"), SERVER))).isFalse();
    assertThat(MongoFailures.isRetryable(new MongoCommandException(
        BsonDocument.parse("{ok: 0, code: 85, errmsg: 'Index already exists with a different name'}"), SERVER))).isFalse();
  }

  @Test
  void anAuthenticationFailureIsPermanentHoweverTheDriverWrapsIt() {
    MongoCredential credential = MongoCredential.createCredential("trainer", "admin", "wrong".toCharArray());
    MongoCommandException authFailed = new MongoCommandException(
        BsonDocument.parse("{ok: 0, code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.'}"),
        SERVER);
    MongoSecurityException security = new MongoSecurityException(credential, "Exception authenticating", authFailed);

    assertThat(MongoFailures.isAuthFailure(authFailed)).isTrue();
    assertThat(MongoFailures.isRetryable(authFailed)).isFalse();
    assertThat(MongoFailures.isRetryable(security)).isFalse();
    assertThat(MongoFailures.isRetryable(new MongoClientException("could not run the command", security))).isFalse();
    assertThat(MongoFailures.isRetryable(new MongoTimeoutException("Timed out after 1000 ms while waiting for a "
        + "server that matches WritableServerSelector. Client view of cluster state is {type=UNKNOWN, "
        + "servers=[{address=db.example:27017, type=UNKNOWN, state=CONNECTING, exception={"
        + "com.mongodb.MongoSecurityException: Exception authenticating}}]"))).isFalse();
    assertThat(MongoFailures.isAuthFailure(new MongoTimeoutException("Timed out after 1000 ms while waiting to "
        + "connect. Client view of cluster state is {type=UNKNOWN, servers=[{address=db.example:27017, "
        + "type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening "
        + "socket}}]"))).as("a server that is away stays retryable").isFalse();
  }
}
