package dev.trainlog.core.internal.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.BackendCompatibilityKit;
import dev.trainlog.testkit.StoredRecord;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConsoleBackendCompatibilityTest extends BackendCompatibilityKit {

  private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+)\\] step (\\d+)(.*)$");
  private static final Pattern PAIR = Pattern.compile("\\s+([\\w/.]+)=(\\S+)");

  /** A terminal that can be unplugged: writes fail while it is broken. */
  private static final class Terminal extends Writer {
    final StringWriter text = new StringWriter();
    volatile boolean broken;

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      if (broken) {
        throw new IOException("Broken pipe");
      }
      text.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (broken) {
        throw new IOException("Broken pipe");
      }
    }

    @Override
    public void close() {}
  }

  private final Terminal terminal = new Terminal();

  @Override
  protected LogBackend newBackend(RunInfo run) {
    return new ConsoleBackend(terminal, run, List.of());
  }

  @Override
  protected List<StoredRecord> readBack(RunInfo run) {
    List<StoredRecord> records = new ArrayList<>();
    for (String line : terminal.text.toString().split("\\R")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, Double> scalars = new LinkedHashMap<>();
      Matcher p = PAIR.matcher(m.group(3));
      while (p.find()) {
        scalars.put(p.group(1), Double.parseDouble(p.group(2)));
      }
      records.add(new StoredRecord(Long.parseLong(m.group(2)), scalars));
    }
    return records;
  }

  @Override
  protected void breakStore() {
    terminal.broken = true;
  }

  @Override
  protected void repairStore() {
    terminal.broken = false;
  }

  @Override
  protected double scalarTolerance() {
    return 1e-4;
  }

  @Test
  void aLineShowsRunStepScalarsVectorMeansAndTheStepRate() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "r64");
    LogBackend backend = newBackend(run);
    backend.write(List.of(TestRecords.everyKind(run, 10), TestRecords.everyKind(run, 20)));

    String[] lines = terminal.text.toString().split("\\R");
    assertThat(lines[0]).isEqualTo("[sd-lora/r64] step 10  loss=0.590909  gpu_util.mean=79.0000  eval/accuracy=0.750000");
    assertThat(lines[1]).endsWith("eval/accuracy=0.750000  (1.0 steps/s)");
  }

  @Test
  void tinyAndHugeValuesUseScientificNotation() {
    assertThat(ConsoleBackend.format(1.5e-4)).isEqualTo("1.50000e-04");
    assertThat(ConsoleBackend.format(0.0382)).isEqualTo("0.0382000");
    assertThat(ConsoleBackend.format(Double.NaN)).isEqualTo("NaN");
  }
}
