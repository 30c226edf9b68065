package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written encoder against protobuf-java's own writer: the bytes must be identical. */
class ProtoBufferTest {

  private interface Writes {
    void to(CodedOutputStream out) throws Exception;
  }

  private static byte[] reference(Writes writes) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writes.to(out);
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void aScalarEventIsByteForByteWhatProtobufJavaWrites() throws Exception {
    ProtoBuffer buffer = new ProtoBuffer(16);
    new EventEncoder().scalarEvent(buffer, 1767225600.5, 300, "train/loss", 0.125);

    byte[] value = reference(o -> {
      o.writeString(1, "train/loss");
      o.writeFloat(2, 0.125f);
    });
    byte[] summary = reference(o -> o.writeByteArray(1, value));
    byte[] event = reference(o -> {
      o.writeDouble(1, 1767225600.5);
      o.writeInt64(2, 300);
      o.writeByteArray(5, summary);
    });
    assertThat(buffer.toByteArray()).isEqualTo(event);
  }

  @Test
  void nestedMessagesLongerThan127BytesGetAMultiByteLength() throws Exception {
    String longText = "x".repeat(20_000);
    ProtoBuffer buffer = new ProtoBuffer(16);
    int outer = buffer.beginMessage(5);
    int inner = buffer.beginMessage(1);
    buffer.stringField(1, longText);
    buffer.endMessage(inner);
    buffer.varintField(2, 7);
    buffer.endMessage(outer);

    byte[] innerRef = reference(o -> o.writeString(1, longText));
    byte[] outerRef = reference(o -> {
      o.writeByteArray(1, innerRef);
      o.writeInt64(2, 7);
    });
    assertThat(buffer.toByteArray()).isEqualTo(reference(o -> o.writeByteArray(5, outerRef)));
  }

  @Test
  void stringsAreUtf8IncludingCharactersOutsideTheBasicPlane() throws Exception {
    String text = "héllo € 𝄞 日本";
    ProtoBuffer buffer = new ProtoBuffer();
    buffer.stringField(3, text);

    assertThat(buffer.toByteArray()).isEqualTo(reference(o -> o.writeBytes(3, ByteString.copyFrom(text, StandardCharsets.UTF_8))));
  }

  @Test
  void largeAndNegativeVarintsUseTenBytesLikeInt64() throws Exception {
    ProtoBuffer buffer = new ProtoBuffer();
    buffer.varintField(2, Long.MAX_VALUE);
    buffer.varintField(2, -1);

    assertThat(buffer.toByteArray()).isEqualTo(reference(o -> {
      o.writeInt64(2, Long.MAX_VALUE);
      o.writeInt64(2, -1);
    }));
  }

  @Test
  void packedDoublesAndResetReuseTheBuffer() throws Exception {
    ProtoBuffer buffer = new ProtoBuffer();
    buffer.stringField(1, "garbage");
    buffer.reset();
    buffer.packedDoubles(6, new double[] {1.5, -2, 99}, 2);

    byte[] packed = reference(o -> {
      o.writeDoubleNoTag(1.5);
      o.writeDoubleNoTag(-2);
    });
    assertThat(buffer.toByteArray()).isEqualTo(reference(o -> o.writeByteArray(6, packed)));
  }
  @Test
  void scalarValuesMatchProtobufJavaForShortLongEqualAndCollidingTags() throws Exception {
    EventEncoder encoder = new EventEncoder();
    // "Aa" and "BB" share a hash, so they share a cache slot; the long tag needs a two-byte length;
    // the built string is equal to "loss" but not the same instance
    String longTag = "t/" + "x".repeat(200);
    List<String> tags = List.of("loss", "Aa", "BB", longTag, new StringBuilder("lo").append("ss").toString(), "Aa",
        "é/𝄞", "BB", longTag, "loss");
    for (int round = 0; round < 2; round++) {
      for (String tag : tags) {
        ProtoBuffer buffer = new ProtoBuffer(4);
        encoder.scalarValue(buffer, tag, 0.75);

        byte[] value = reference(o -> {
          o.writeString(1, tag);
          o.writeFloat(2, 0.75f);
        });
        assertThat(buffer.toByteArray()).as(tag).isEqualTo(reference(o -> o.writeByteArray(1, value)));
      }
    }
  }

  @Test
  void scalarValuesAroundTheWordStoredPrefixLengthMatchProtobufJavaBackToBack() throws Exception {
    // prefixes of up to 24 bytes are stored as whole words that run past the value; tags of 0 to 30
    // characters cross that limit, and each value must overwrite what the previous one stored past it
    EventEncoder encoder = new EventEncoder();
    ProtoBuffer buffer = new ProtoBuffer(16);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int round = 0; round < 2; round++) {
      for (int length = 0; length <= 30; length++) {
        String tag = "abcdefghijklmnopqrstuvwxyz0123456789".substring(0, length);
        float value = round * 100 + length + 0.5f;
        encoder.scalarValue(buffer, tag, value);
        byte[] inner = reference(o -> {
          o.writeString(1, tag);
          o.writeFloat(2, value);
        });
        expected.write(reference(o -> o.writeByteArray(1, inner)));
      }
    }
    assertThat(buffer.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void moreDistinctTagsThanTheCacheHoldsAreStillEncodedCorrectly() throws Exception {
    EventEncoder encoder = new EventEncoder();
    for (int i = 0; i < EventEncoder.MAX_CACHED_TAGS + 50; i++) {
      String tag = "metric/" + (i % (EventEncoder.MAX_CACHED_TAGS + 10));
      ProtoBuffer buffer = new ProtoBuffer();
      encoder.scalarValue(buffer, tag, -2.5);

      byte[] value = reference(o -> {
        o.writeString(1, tag);
        o.writeFloat(2, -2.5f);
      });
      assertThat(buffer.toByteArray()).as(tag).isEqualTo(reference(o -> o.writeByteArray(1, value)));
    }
  }

  @Test
  void summaryEventHeadersMatchProtobufJavaForEveryStepSize() throws Exception {
    EventEncoder encoder = new EventEncoder();
    for (long step : new long[] {0, 1, 127, 128, 16_383, 16_384, 1L << 35, Long.MAX_VALUE, -1}) {
      ProtoBuffer buffer = new ProtoBuffer(4);
      int summary = encoder.beginSummaryEvent(buffer, 1767225600.25, step);
      encoder.endSummaryEvent(buffer, summary);

      byte[] event = reference(o -> {
        o.writeDouble(1, 1767225600.25);
        o.writeInt64(2, step);
        o.writeByteArray(5, new byte[0]);
      });
      assertThat(buffer.toByteArray()).as("step %d", step).isEqualTo(event);
    }
  }

  @Test
  void varintSizeAgreesWithProtobufJava() {
    for (long v : new long[] {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 56, Long.MAX_VALUE, -1,
        Long.MIN_VALUE}) {
      assertThat(ProtoBuffer.varintSize(v)).as("%d", v).isEqualTo(CodedOutputStream.computeInt64SizeNoTag(v));
    }
  }

  @Test
  void reservedBytesAreFilledInLaterAndTruncateDropsATail() {
    ProtoBuffer buffer = new ProtoBuffer(4);
    int at = buffer.reserve(12);
    buffer.rawBytes(new byte[] {0x7F}, 0, 1);
    buffer.putLongAt(at, 0x0102030405060708L);
    buffer.putIntAt(at + 8, 0x0A0B0C0D);

    assertThat(buffer.toByteArray()).containsExactly(8, 7, 6, 5, 4, 3, 2, 1, 0x0D, 0x0C, 0x0B, 0x0A, 0x7F);
    buffer.truncate(8);
    assertThat(buffer.size()).isEqualTo(8);
    assertThatThrownBy(() -> buffer.truncate(9)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
