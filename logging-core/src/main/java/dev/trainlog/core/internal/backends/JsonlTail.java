package dev.trainlog.core.internal.backends;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the end of a JSON-lines file says was written last: the highest {@code seq} per run id and
 * rank among its last lines. A line cut short by a crash is removed, so the file stays valid.
 */
final class JsonlTail {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonlTail() {}

  static String streamOf(String runId, int rank) {
    return runId + "/" + rank;
  }

  static Map<String, Long> lastSequences(Path file, int tailBytes) throws IOException {
    Map<String, Long> last = new HashMap<>();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long size = f.length();
      int n = (int) Math.min(size, tailBytes);
      byte[] tail = new byte[n];
      f.seek(size - n);
      f.readFully(tail);
      int end = n;
      while (end > 0 && tail[end - 1] != '\n') {
        end--;
      }
      if (end < n) {
        f.setLength(size - (n - end)); // a line cut short by a crash: never acknowledged, written again
      }
      int start = size > n ? indexAfterNewline(tail) : 0;
      for (String line : new String(tail, start, Math.max(0, end - start), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          read(line, last);
        }
      }
    }
    return last;
  }

  private static int indexAfterNewline(byte[] tail) {
    for (int i = 0; i < tail.length; i++) {
      if (tail[i] == '\n') {
        return i + 1;
      }
    }
    return tail.length;
  }

  private static void read(String line, Map<String, Long> last) throws IOException {
    String run = null;
    long rank = 0;
    long seq = -1;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("run") && value == JsonToken.VALUE_STRING) {
          run = p.getText();
        } else if (field.equals("rank") && value.isNumeric()) {
          rank = p.getLongValue();
        } else if (field.equals("seq") && value.isNumeric()) {
          seq = p.getLongValue();
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException notJson) {
      return;
    }
    if (run != null && seq >= 0) {
      last.merge(streamOf(run, (int) rank), seq, Math::max);
    }
  }
}
