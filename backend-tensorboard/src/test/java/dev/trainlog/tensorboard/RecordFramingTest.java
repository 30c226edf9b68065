package dev.trainlog.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFramingTest {

  @TempDir
  Path logDir;

  @Test
  void crc32cOfTheCheckStringIsTheKnownAnswer() {
    assertThat(TfRecordReader.crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
  }

  @Test
  void theMaskMatchesTensorBoardsOwnMaskedCrc() {
    // 0xC78AB0E5 is what tensorboard's masked_crc32c(b"123456789") returns
    assertThat(RecordFramer.mask(0xE3069283)).isEqualTo(0xC78AB0E5);
    assertThat(TfRecordReader.masked("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xC78AB0E5);
  }

  @Test
  void aRecordIsLengthThenItsMaskedCrcThenDataThenTheDataCrc() throws Exception {
    byte[] data = new byte[23];
    Arrays.fill(data, (byte) 7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int written = new RecordFramer().write(out, data, data.length);

    ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(written).isEqualTo(16 + 23).isEqualTo(b.capacity());
    assertThat(b.getLong(0)).isEqualTo(23);
    // tensorboard's masked_crc32c(struct.pack('<Q', 23)) is 0x1EF8CEE7
    assertThat(b.getInt(8)).isEqualTo(0x1EF8CEE7);
    assertThat(Arrays.copyOfRange(out.toByteArray(), 12, 35)).isEqualTo(data);
    assertThat(b.getInt(35)).isEqualTo(TfRecordReader.masked(data));
  }

  @Test
  void eachHeaderCrcFitsItsOwnLengthWhenLengthsRepeatAndChange() throws Exception {
    RecordFramer framer = new RecordFramer();
    for (int length : new int[] {5, 5, 300, 5, 300, 300}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      framer.write(out, new byte[length], length);

      byte[] header = Arrays.copyOf(out.toByteArray(), 8);
      assertThat(ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getInt(8))
          .as("header CRC of length %d", length).isEqualTo(TfRecordReader.masked(header));
    }
  }

  @Test
  void framingInPlaceWritesTheSameBytesAsFramingIntoAStream() throws Exception {
    RecordFramer inPlace = new RecordFramer();
    RecordFramer streamed = new RecordFramer();
    ProtoBuffer buffer = new ProtoBuffer(8);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    buffer.rawBytes(new byte[] {0x55}, 0, 1); // bytes already pending in front of the records stay as they are
    expected.write(0x55);
    for (int length : new int[] {5, 5, 300, 0, 5}) {
      byte[] data = new byte[length];
      Arrays.fill(data, (byte) length);
      int start = buffer.reserve(RecordFramer.HEADER_BYTES);
      buffer.rawBytes(data, 0, length);

      assertThat(inPlace.frameInPlace(buffer, start)).isEqualTo(length + 16);
      streamed.write(expected, data, length);
    }

    assertThat(buffer.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void aRecordWhoseEncodingNeverEndedNeverReachesTheFile() throws Exception {
    Path path = logDir.resolve("events.out.tfevents.test");
    EventFile file = EventFile.create(EventFile.CREATE_NEW, path);
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {1, 2, 3}, 0, 3); // encoding threw here: no endRecord
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {4, 5}, 0, 2);
    file.endRecord();
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {6}, 0, 1); // and here, just before the file is closed
    file.close();

    TfRecordReader.Records records = TfRecordReader.read(path);
    assertThat(records.records()).containsExactly(new byte[] {4, 5});
    assertThat(records.truncatedTail()).isFalse();
    assertThat(file.bytes()).isEqualTo(2 + 16).isEqualTo(Files.size(path));
  }

  @Test
  void everyRecordOfAWrittenFileHasValidCrcsAndTheFileEndsCleanly() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(List.of(TestRecords.everyKind(Fixtures.RUN, 0), TestRecords.everyKind(Fixtures.RUN, 1)));
    backend.close(RunStatus.FINISHED);

    List<Path> files = EventFiles.list(backend.runDirectory());
    assertThat(files).hasSize(1);
    TfRecordReader.Records records = TfRecordReader.read(files.get(0));
    // file version, session start, config, two records, session end
    assertThat(records.records()).hasSize(6);
    assertThat(records.truncatedTail()).isFalse();
  }

  @Test
  void aRecordCutOffByACrashLeavesEveryEarlierRecordReadable() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 10));
    backend.flush();
    Path file = EventFiles.list(backend.runDirectory()).get(0);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 7));

    TfRecordReader.Records records = TfRecordReader.read(file);

    assertThat(records.truncatedTail()).isTrue();
    assertThat(Fixtures.recordEvents(backend.runDirectory())).extracting(TbEvent::step)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void aDamagedRecordFailsItsCrcCheck() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 3));
    backend.close(RunStatus.FINISHED);
    Path file = EventFiles.list(backend.runDirectory()).get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> TfRecordReader.read(file)).hasMessageStartingWith("data CRC mismatch in ");
  }
}
