package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Loads a TrainLog YAML configuration. The environment (for {@code ${VAR}}, {@code RANK}, ...) and
 * the clock (for default run names) are injected, so tests never depend on the machine.
 */
public final class ConfigLoader {

  private final ConfigAssembler assembler;
  private final boolean collectProblems;

  /** Reads the process environment and the system clock. */
  public ConfigLoader() {
    this(System.getenv(), Clock.systemUTC());
  }

  public ConfigLoader(Map<String, String> env, Clock clock) {
    this(env, clock, RunInfo::localHostName, false);
  }

  private ConfigLoader(Map<String, String> env, Clock clock, Supplier<String> hostName, boolean collectProblems) {
    this.collectProblems = collectProblems;
    Map<String, String> environment = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.assembler = new ConfigAssembler(new EnvExpander(environment),
        new RunReader(environment, Objects.requireNonNull(clock, "clock"), hostName));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads a file; problems name it as given (e.g. {@code trainlog.yaml:12}).
   *
   * @throws ConfigException for an unreadable file, malformed YAML, or every invalid setting at once
   */
  public TrainLogConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("cannot read the TrainLog configuration " + file + ": the file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException("cannot read the TrainLog configuration " + file + ": permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException("cannot read the TrainLog configuration " + file + ": it is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read the TrainLog configuration " + file + ": " + e, e);
    }
    return load(text, file.toString());
  }

  /** Loads YAML held in a string; {@code sourceName} stands for the file in messages. */
  public TrainLogConfig load(String yaml, String sourceName) {
    return load(new StringReader(yaml), sourceName);
  }

  /** Loads UTF-8 YAML from a stream (not closed); {@code sourceName} stands for the file in messages. */
  public TrainLogConfig load(InputStream in, String sourceName) {
    return load(new InputStreamReader(in, StandardCharsets.UTF_8), sourceName);
  }

  private TrainLogConfig load(Reader reader, String sourceName) {
    try {
      return assembler.assemble(YamlReader.read(reader, sourceName), collectProblems);
    } catch (IOException e) {
      throw new ConfigException("cannot read the TrainLog configuration " + sourceName + ": " + e, e);
    }
  }

  /** Builds a {@link ConfigLoader}; anything not set comes from the running process. */
  public static final class Builder {
    private Map<String, String> env = System.getenv();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> hostName = RunInfo::localHostName;
    private boolean collectProblems;

    private Builder() {}

    /** The variables {@code ${VAR}}, {@code RANK}, {@code WORLD_SIZE}, ... are read from. */
    public Builder env(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /** The clock default run names are stamped with. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The node name used when neither {@code run.node} nor {@code TRAINLOG_NODE} is set. */
    public Builder hostName(String hostName) {
      Objects.requireNonNull(hostName, "hostName");
      this.hostName = () -> hostName;
      return this;
    }

    /**
     * Return the config with its problems in {@link TrainLogConfig#problems()} instead of throwing,
     * so that later stages (sampling, backend settings) can add theirs and all are reported at once.
     */
    public Builder collectProblems(boolean collect) {
      this.collectProblems = collect;
      return this;
    }

    public ConfigLoader build() {
      return new ConfigLoader(env, clock, hostName, collectProblems);
    }
  }
}
