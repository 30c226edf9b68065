package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.LongValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.ModificationWatchpointRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
    try (DebuggedChild child = DebuggedChild.start(HeldClaimChild.class, dir.resolve("child.err"), journal.toString())) {
      VirtualMachine vm = child.vm;
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter(JournalReader.class.getName());
      prepare.enable();
      vm.resume();

      long claimed = holdTheLastClaim(vm);
      assertThat(claimed).as("the reader is held in its last claim, before it counts it").isEqualTo(HeldClaimChild.READ);
      child.in.write(HeldClaimChild.GO + "\n");
      child.in.flush();
      assertThat(child.lineStartingWith(HeldClaimChild.APPENDED)).as("the child appended past max-size; its errors: %s",
          child.errors()).isEqualTo(HeldClaimChild.APPENDED);

      byte[] note = Files.readAllBytes(journal.resolve("slow" + Cursor.GIVEN_UP));
      assertThat(ByteBuffer.wrap(note).getLong(8)).as("records the reader held when their segment was given up")
          .isEqualTo(HeldClaimChild.READ);
    }
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
