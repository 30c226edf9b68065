package dev.trainlog.benchmarks;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes TensorBoard event files the way PyTorch's {@code SummaryWriter.add_scalar} does: one
 * {@code Event} per scalar ({@code simple_value}), framed with masked CRC-32Cs, for B9's log
 * directories. Each call of {@link #scalar} writes through when {@code flushEach} is set, as a live
 * trainer's writer would be flushed.
 */
final class TbEventFiles implements AutoCloseable {

  private final OutputStream out;
  private final boolean flushEach;

  TbEventFiles(Path file, boolean flushEach) throws IOException {
    Files.createDirectories(file.getParent());
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND), 1 << 16);
    this.flushEach = flushEach;
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    fixed64(event, 1, 1_764_950_000.0);
    bytes(event, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
    write(event.toByteArray());
  }

  void scalar(String tag, long step, double wallSeconds, float value) throws IOException {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    bytes(v, 1, tag.getBytes(StandardCharsets.UTF_8));
    v.write(2 << 3 | 5);
    v.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    bytes(summary, 1, v.toByteArray());
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    fixed64(event, 1, wallSeconds);
    event.write(2 << 3);
    varint(event, step);
    bytes(event, 5, summary.toByteArray());
    write(event.toByteArray());
  }

  private void write(byte[] data) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc(data, 0, data.length));
    out.write(b.array());
    if (flushEach) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static int maskedCrc(byte[] data, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(data, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xA282EAD8;
  }

  private static void fixed64(ByteArrayOutputStream out, int field, double v) {
    out.write(field << 3 | 1);
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] data) {
    out.write(field << 3 | 2);
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
