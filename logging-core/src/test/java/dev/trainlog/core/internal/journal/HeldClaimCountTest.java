package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.LongValue;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodExitRequest;
import com.sun.jdi.request.ModificationWatchpointRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader claims a record, then publishes its count of claims; the journal gives a segment up by moving the
 * reader's claim, and notes how many records the reader held ({@code .given-up}). Each test holds one thread
 * with a debugger in a child JVM ({@link HeldClaimChild}) at the point where the two meet; nothing in the product
 * waits for it. Before the fix the note was one short in the first and one too many in the second.
 */
class HeldClaimCountTest {

  @TempDir Path dir;

  @Test
  void aClaimWhoseCountIsNotPublishedWhenItsSegmentIsGivenUpIsInTheNote() throws Exception {
    try (DebuggedChild child = start()) {
      whenPrepared(child.vm, JournalReader.class.getName());
      long claimed = holdTheLastClaim(child.vm);
      assertThat(claimed).as("the reader is held in its last claim, before it counts it").isEqualTo(HeldClaimChild.READ);

      tell(child, HeldClaimChild.GO);
      assertThat(child.lineStartingWith(HeldClaimChild.APPENDED)).as("the child's errors: %s", child.errors())
          .isEqualTo(HeldClaimChild.APPENDED);
      assertThat(noted()).as("records the reader held when their segment was given up").isEqualTo(HeldClaimChild.READ);
    }
  }

  @Test
  void aClaimMadeJustAfterTheJournalMovedTheReaderIsNotInTheNote() throws Exception {
    try (DebuggedChild child = start()) {
      child.vm.resume();
      assertThat(child.lineStartingWith("READ ")).isEqualTo("READ " + HeldClaimChild.READ);
      MethodExitRequest exits = child.vm.eventRequestManager().createMethodExitRequest();
      exits.addClassFilter("java.util.concurrent.atomic.AtomicLong");
      exits.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
      exits.enable();
      tell(child, HeldClaimChild.GO);
      EventSet held = holdTheJournalsMove(child.vm);
      exits.disable();

      tell(child, HeldClaimChild.MORE); // the reader sees where the journal moved it and claims the next record
      assertThat(child.lineStartingWith(HeldClaimChild.MORE)).as("the child's errors: %s", child.errors())
          .startsWith(HeldClaimChild.MORE + " step ");
      held.resume();
      assertThat(child.lineStartingWith(HeldClaimChild.APPENDED)).as("the child's errors: %s", child.errors())
          .isEqualTo(HeldClaimChild.APPENDED);
      assertThat(noted()).as("records the reader held when their segment was given up, not the one after")
          .isEqualTo(HeldClaimChild.READ);
    }
  }

  private DebuggedChild start() throws Exception {
    return DebuggedChild.start(HeldClaimChild.class, dir.resolve("child.err"), dir.resolve("j").toString());
  }

  private long noted() throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(dir.resolve("j").resolve("slow" + Cursor.GIVEN_UP))).getLong(8);
  }

  private static void tell(DebuggedChild child, String line) throws IOException {
    child.in.write(line + "\n");
    child.in.flush();
  }

  private static void whenPrepared(VirtualMachine vm, String className) {
    ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
    prepare.addClassFilter(className);
    prepare.enable();
    vm.resume();
  }

  /**
   * Runs the child until its reader is about to count its {@link HeldClaimChild#READ}th claim (made already), and
   * leaves that thread stopped there, the others running; returns the count it is about to set.
   */
  private static long holdTheLastClaim(VirtualMachine vm) throws InterruptedException {
    while (true) {
      EventSet events = next(vm);
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
        }
      }
      events.resume();
    }
  }

  /**
   * Runs the child until the appending thread has moved the reader's claim (a compare-and-set that succeeded, made by
   * the journal giving segments up), and returns the events that leave that thread stopped right after it.
   */
  private static EventSet holdTheJournalsMove(VirtualMachine vm) throws InterruptedException {
    while (true) {
      EventSet events = next(vm);
      for (Event e : events) {
        if (e instanceof MethodExitEvent exit && exit.method().name().equals("compareAndSet")
            && exit.thread().name().equals(HeldClaimChild.APPENDING_THREAD)
            && ((BooleanValue) exit.returnValue()).value() && calledFrom(exit, FullJournal.class, "dropBelow")) {
          return events;
        }
      }
      events.resume();
    }
  }

  private static boolean calledFrom(MethodExitEvent exit, Class<?> type, String name) {
    try {
      Method caller = exit.thread().frame(1).location().method();
      return caller.declaringType().name().equals(type.getName()) && caller.name().equals(name);
    } catch (IncompatibleThreadStateException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EventSet next(VirtualMachine vm) throws InterruptedException {
    EventSet events = vm.eventQueue().remove(60_000);
    assertThat(events).as("an event from the child within a minute").isNotNull();
    for (Event e : events) {
      if (e instanceof VMDisconnectEvent) {
        throw new AssertionError("the child ended first");
      }
    }
    return events;
  }
}
