package dev.trainlog.tensorboard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The tests' own TFRecord reader, written from the format description and not from the backend's
 * code: it checks both masked CRCs of every record and fails on a mismatch, and reports a record cut
 * off at the end of the file instead of reading it.
 */
final class TfRecordReader {

  /** The records of a file and whether its end held an incomplete record. */
  record Records(List<byte[]> records, boolean truncatedTail) {}

  private TfRecordReader() {}

  static Records read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> records = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 12) {
        return new Records(records, true);
      }
      byte[] lengthBytes = new byte[8];
      in.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      int lengthCrc = in.getInt();
      if (lengthCrc != masked(lengthBytes)) {
        throw new IllegalStateException("length CRC mismatch in " + file + " at record " + records.size());
      }
      if (in.remaining() < length + 4) {
        return new Records(records, true);
      }
      byte[] data = new byte[(int) length];
      in.get(data);
      int dataCrc = in.getInt();
      if (dataCrc != masked(data)) {
        throw new IllegalStateException("data CRC mismatch in " + file + " at record " + records.size());
      }
      records.add(data);
    }
    return new Records(records, false);
  }

  static int crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return (int) crc.getValue();
  }

  static int masked(byte[] data) {
    int c = crc32c(data);
    return Integer.rotateRight(c, 15) + 0xa282ead8;
  }
}
