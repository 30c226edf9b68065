package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.LongValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.ModificationWatchpointRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader claims a record and publishes its count of claims right after; when the journal gives the record's
 * segment up in between, the note of what the reader held ({@code .given-up}) must still count that record. The
 * reader is held in between by a debugger (a watchpoint on the reader's own count, which it sets after the claim),
 * in a child JVM; nothing in the product waits for it. Before the fix the note said 4 of the 5 records held.
 */
class HeldClaimCountTest {

  @TempDir Path dir;

  @Test
  void aClaimWhoseCountIsNotPublishedWhenItsSegmentIsGivenUpIsInTheNote() throws Exception {
    Path journal = dir.resolve("j");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0",
        "-cp", System.getProperty("java.class.path"), HeldClaimChild.class.getName(), journal.toString())
        .redirectError(dir.resolve("child.err").toFile()).start();
    VirtualMachine vm = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
      String listening = out.readLine();
      assertThat(listening).as("the debugger agent's first line").startsWith("Listening for transport dt_socket at");
      vm = attach(listening.substring(listening.lastIndexOf(':') + 1).trim());
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter(JournalReader.class.getName());
      prepare.enable();
      vm.resume();

      long claimed = holdTheLastClaim(vm);
      assertThat(claimed).as("the reader is held in its last claim, before it counts it").isEqualTo(HeldClaimChild.READ);
      in.write(HeldClaimChild.GO + "\n");
      in.flush();
      String line;
      while ((line = out.readLine()) != null && !line.equals(HeldClaimChild.APPENDED)) {
        // the child prints nothing else
      }
      assertThat(line).as("the child appended past max-size; its errors: %s",
          Files.readString(dir.resolve("child.err"))).isEqualTo(HeldClaimChild.APPENDED);

      byte[] note = Files.readAllBytes(journal.resolve("slow" + Cursor.GIVEN_UP));
      assertThat(ByteBuffer.wrap(note).getLong(8)).as("records the reader held when their segment was given up")
          .isEqualTo(HeldClaimChild.READ);
    } finally {
      if (vm != null) {
        try {
          vm.exit(0);
        } catch (RuntimeException gone) {
          // the child is killed below in any case
        }
      }
      child.destroyForcibly();
      child.waitFor();
    }
  }

  private static VirtualMachine attach(String port) throws Exception {
    AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
        .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
    Map<String, Connector.Argument> args = socket.defaultArguments();
    args.get("hostname").setValue("127.0.0.1");
    args.get("port").setValue(port);
    return socket.attach(args);
  }

  /**
   * Runs the child until its reader is about to count its {@link HeldClaimChild#READ}th claim (made already), and
   * leaves that thread stopped there, the others running; returns the count it is about to set.
   */
  private static long holdTheLastClaim(VirtualMachine vm) throws InterruptedException {
    while (true) {
      EventSet events = vm.eventQueue().remove(60_000);
      assertThat(events).as("an event from the child within a minute").isNotNull();
      for (Event e : events) {
        if (e instanceof ClassPrepareEvent prepared) {
          ReferenceType reader = prepared.referenceType();
          ModificationWatchpointRequest count =
              vm.eventRequestManager().createModificationWatchpointRequest(reader.fieldByName("claims"));
          count.addCountFilter(HeldClaimChild.READ);
          count.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
          count.enable();
        } else if (e instanceof ModificationWatchpointEvent counted) {
          return ((LongValue) counted.valueToBe()).value(); // its thread stays stopped
        } else if (e instanceof VMDisconnectEvent) {
          throw new AssertionError("the child ended before its reader claimed " + HeldClaimChild.READ + " records");
        }
      }
      events.resume();
    }
  }
}
