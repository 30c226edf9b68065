package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failures of the service's H2 file are answered with the one line, and what it says. */
class StoreFileFailureTest {

  @TempDir Path dir;

  @Test
  void aFailedWriteIsOneLineNamingTheDirectoryAndWhatToDo() {
    MVStoreException write = new MVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing to chunk 3 failed\nmore");

    var failure = StoreFileFailure.of(dir, new IllegalStateException(write), null).orElseThrow();

    assertThat(failure.getCode()).isEqualTo(14031);
    assertThat(failure.getCodeName()).isEqualTo("OutOfDiskSpace");
    assertThat(failure.getMessageWithoutErrorCode()).isEqualTo("the store service of " + dir + " cannot use trainlog.mv"
        + " (Writing to chunk 3 failed); check that the directory is writable and its disk healthy, and the records"
        + " waiting in the trainers' journals are stored when a new service starts");
  }

  @Test
  void aFullDeviceIsNamedAsSuch() {
    RuntimeException full = new IllegalStateException(new IOException("No space left on device"));

    assertThat(StoreFileFailure.of(dir, full, null).orElseThrow().getMessageWithoutErrorCode()).isEqualTo(
        "the store service of " + dir + " cannot write trainlog.mv: the disk is full; free space on it, and the"
            + " records waiting in the trainers' journals are stored when a new service starts");
  }

  @Test
  void aFileClosedByAnEarlierFailureAnswersEveryCommandWithThatFailure() {
    MVStoreException panic = new MVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing failed");

    assertThat(StoreFileFailure.of(dir, new IllegalStateException("This store is closed"), panic)).isPresent();
  }

  @Test
  void aFileClosedWhenTheHeapRanOutSaysSo() {
    MVStoreException panic = new MVStoreException(DataUtils.ERROR_FILE_CORRUPT, "Unable to read the page at 0x2d");
    panic.initCause(new IllegalArgumentException("Could not deserialize", new OutOfMemoryError("Java heap space")));

    assertThat(StoreFileFailure.of(dir, new IllegalStateException("This store is closed"), panic).orElseThrow()
        .getMessageWithoutErrorCode()).isEqualTo("the store service of " + dir + " ran out of memory and H2 closed"
            + " trainlog.mv (a read that holds many documents at once: read fewer, or start the service with a larger"
            + " heap, TRAINLOG_STORE_HEAP=2g); the next client starts a new service, and the records waiting in the"
            + " trainers' journals are stored then");
  }

  @Test
  void aReadOrABadCommandIsNotTheFilesFault() {
    MVStoreException read = new MVStoreException(DataUtils.ERROR_FILE_CORRUPT, "Unable to read the page");

    assertThat(StoreFileFailure.of(dir, new IllegalStateException(read), null)).isEmpty();
    assertThat(StoreFileFailure.of(dir, new IllegalArgumentException("unknown operator $foo"), null)).isEmpty();
  }
}
