package dev.trainlog.core.internal.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA GPUs read through the {@code nvidia-smi} program (one process per sample, killed after a
 * timeout): it ships with every driver; the fallback when {@link Nvml} cannot load the driver's library.
 */
public final class NvidiaSmi implements GpuSource {

  /** The fields asked for, in the order {@link #parse} reads them. */
  static final String QUERY = "index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,"
      + "clocks.sm";
  private static final Pattern DRIVER = Pattern.compile("Driver Version:\\s*([0-9][0-9.]*)");
  private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*([0-9][0-9.]*)");

  private final Path executable;
  private final Duration timeout;

  public NvidiaSmi(Path executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
  }

  /** The {@code nvidia-smi} found on {@code env}'s {@code PATH}, if any. */
  public static Optional<Path> locate(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "nvidia-smi");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public String name() {
    return "nvidia-smi";
  }

  /** Every GPU's reading now; empty when the program fails or does not answer within the timeout. */
  @Override
  public Optional<List<GpuSample>> sample() {
    return run(List.of(executable.toString(), "--query-gpu=" + QUERY, "--format=csv,noheader,nounits"))
        .map(NvidiaSmi::parse);
  }

  /** The driver and CUDA versions from {@code nvidia-smi}'s banner ({@code driver}, {@code cuda}), if it answers. */
  public Optional<Map<String, String>> versions() {
    return run(List.of(executable.toString())).map(out -> {
      Map<String, String> v = new java.util.LinkedHashMap<>();
      Matcher d = DRIVER.matcher(out);
      if (d.find()) {
        v.put("driver", d.group(1));
      }
      Matcher c = CUDA.matcher(out);
      if (c.find()) {
        v.put("cuda", c.group(1));
      }
      return v;
    });
  }

  /** Parses {@code --format=csv,noheader,nounits} lines of {@link #QUERY}; malformed lines are skipped. */
  static List<GpuSample> parse(String output) {
    List<GpuSample> gpus = new ArrayList<>();
    for (String line : output.split("\\R")) {
      String[] f = line.split(",");
      if (f.length < 8) {
        continue;
      }
      try {
        int index = Integer.parseInt(f[0].trim());
        gpus.add(new GpuSample(index, f[1].trim(), number(f[2]), number(f[3]), number(f[4]), number(f[5]),
            number(f[6]), number(f[7])));
      } catch (NumberFormatException e) {
        // not a GPU line (a warning nvidia-smi printed): skipped
      }
    }
    return gpus;
  }

  /** A field's value, NaN for {@code [N/A]}, {@code [Not Supported]} and the like. */
  private static double number(String field) {
    String t = field.trim();
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private Optional<String> run(List<String> command) {
    return ShortProcess.run(command, Map.of(), timeout);
  }
}
