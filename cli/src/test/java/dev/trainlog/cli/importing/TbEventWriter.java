package dev.trainlog.cli.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Appends TensorBoard events to an event file the way Python writers frame them (length, masked
 * CRC-32C of the length, data, masked CRC-32C of the data; {@code Event} and {@code Summary} encoded
 * by hand as protobuf), each event flushed at once, as a trainer's writer does.
 */
final class TbEventWriter {

  private final Path file;

  TbEventWriter(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.getParent());
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    double1(event, 1, 1_764_950_400.0);
    bytes(event, 3, "brain.Event:2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    append(event.toByteArray());
  }

  /** Appends one event holding {@code scalars} ({@code simple_value}) at {@code step}. */
  void scalars(long step, double wallTimeSeconds, Map<String, Double> scalars) throws IOException {
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    for (Map.Entry<String, Double> e : scalars.entrySet()) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      bytes(value, 1, e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      value.write(tag(2, 5));
      value.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putFloat(e.getValue().floatValue()).array());
      bytes(summary, 1, value.toByteArray());
    }
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    double1(event, 1, wallTimeSeconds);
    event.write(tag(2, 0));
    varint(event, step);
    bytes(event, 5, summary.toByteArray());
    append(event.toByteArray());
  }

  /** The framed bytes of {@code data}, as written to the file. */
  static byte[] frame(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc(data, 0, data.length));
    return b.array();
  }

  private void append(byte[] data) throws IOException {
    Files.write(file, frame(data), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static int maskedCrc(byte[] data, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(data, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xA282EAD8;
  }

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  private static void double1(ByteArrayOutputStream out, int field, double v) {
    out.write(tag(field, 1));
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] data) {
    out.write(tag(field, 2));
    varint(out, data.length);
    out.writeBytes(data);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
