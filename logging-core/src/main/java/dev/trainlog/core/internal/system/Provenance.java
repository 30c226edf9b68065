package dev.trainlog.core.internal.system;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What ran, collected once at run start: git state of the working directory, command line and JVM
 * arguments (secrets redacted), host, user, OS, Java and TrainLog versions, the YAML text, NVIDIA
 * driver and CUDA versions. Never throws: what cannot be read is left out or says why.
 */
public final class Provenance {

  private Provenance() {}

  /** {@code run} with its provenance collected now, unless it carries one already. */
  public static RunInfo attach(RunInfo run, String yamlText) {
    if (!run.provenance().isEmpty()) {
      return run;
    }
    try {
      return run.toBuilder().provenance(collect(Path.of("").toAbsolutePath(), yamlText, System.getenv(),
          System.getProperty("sun.java.command", ""))).build();
    } catch (RuntimeException e) {
      // provenance is a courtesy: a run is never refused for lack of it
      return run;
    }
  }

  /** The provenance of a process started in {@code workDir} with {@code command} (main class or jar, then arguments). */
  static Map<String, String> collect(Path workDir, String yamlText, Map<String, String> env, String command) {
    Map<String, String> out = new LinkedHashMap<>();
    Git.describe(workDir, out);
    out.put("command", redactArgs(command));
    out.put("jvm_args", redactArgs(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
    out.put("working_dir", workDir.toString());
    out.put("host", RunInfo.localHostName());
    out.put("user", System.getProperty("user.name", "unknown"));
    out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    out.put("java_version", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    out.put("trainlog_version", trainLogVersion());
    if (yamlText != null) {
      out.put("config_yaml", Secrets.redactYaml(yamlText));
    }
    NvidiaSmi.locate(env).flatMap(p -> new NvidiaSmi(p, SystemSampler.GPU_TIMEOUT).versions()).ifPresent(v -> {
      if (v.containsKey("driver")) {
        out.put("nvidia_driver", v.get("driver"));
      }
      if (v.containsKey("cuda")) {
        out.put("cuda_version", v.get("cuda"));
      }
    });
    return out;
  }

  /** The version in the trainlog-core jar's Maven descriptor; classes outside a jar (a build tree) have none. */
  static String trainLogVersion() {
    try (InputStream in = Provenance.class.getResourceAsStream(
        "/META-INF/maven/dev.trainlog/trainlog-core/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: a version we cannot read is reported as such
    }
    return "unknown (trainlog-core not run from its jar)";
  }

  /**
   * Arguments with secrets redacted: {@code --hf-token=x} by {@link Secrets#redactText}, and the word
   * after a secret-named option given apart ({@code --password x}).
   */
  static String redactArgs(String commandLine) {
    String[] words = commandLine.trim().isEmpty() ? new String[0] : commandLine.trim().split("\\s+");
    List<String> out = new ArrayList<>();
    boolean hideNext = false;
    for (String w : words) {
      if (hideNext) {
        out.add(RunInfo.REDACTED);
        hideNext = false;
        continue;
      }
      String redacted = Secrets.redactText(w);
      int eq = w.indexOf('=');
      String name = (eq < 0 ? w : w.substring(0, eq)).replaceFirst("^-+(D)?", "");
      if (w.startsWith("-") && !name.isEmpty() && Secrets.isSecretKey(name)) {
        redacted = eq < 0 ? w : w.substring(0, eq + 1) + RunInfo.REDACTED;
        hideNext = eq < 0;
      }
      out.add(redacted);
    }
    return String.join(" ", out);
  }
}
