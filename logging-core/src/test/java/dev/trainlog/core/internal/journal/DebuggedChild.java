package dev.trainlog.core.internal.journal;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child JVM under a debugger (JDI over a local socket), stopped before its {@code main} until the test has set
 * its requests and calls {@link VirtualMachine#resume}: a test holds one thread of it at an exact point (a
 * watchpoint, a method's exit) with nothing in the product that waits for it.
 */
public final class DebuggedChild implements AutoCloseable {

  private final Process process;
  private final Path errors;
  /** The child's standard output, after the agent's first line. */
  public final BufferedReader out;
  /** The child's standard input. */
  public final Writer in;
  public final VirtualMachine vm;

  private DebuggedChild(Process process, Path errors, BufferedReader out, VirtualMachine vm) {
    this.process = process;
    this.errors = errors;
    this.out = out;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.vm = vm;
  }

  /** Starts {@code main} with {@code args} on this test's class path, its standard error in {@code errors}. */
  public static DebuggedChild start(Class<?> main, Path errors, String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String listening = out.readLine();
      if (listening == null || !listening.startsWith("Listening for transport dt_socket at address:")) {
        throw new IllegalStateException("the debugger agent said " + listening + "; errors: " + Files.readString(errors));
      }
      AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
          .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
      Map<String, Connector.Argument> connect = socket.defaultArguments();
      connect.get("hostname").setValue("127.0.0.1");
      connect.get("port").setValue(listening.substring(listening.lastIndexOf(':') + 1).trim());
      return new DebuggedChild(process, errors, out, socket.attach(connect));
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Reads the child's output up to a line that starts with {@code prefix}; that line, or null at its end. */
  public String lineStartingWith(String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
      // the children print nothing else
    }
    return line;
  }

  /** What the child wrote to its standard error so far. */
  public String errors() throws IOException {
    return Files.readString(errors);
  }

  @Override
  public void close() {
    try {
      vm.dispose();
    } catch (RuntimeException gone) {
      // the child is killed below in any case
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
