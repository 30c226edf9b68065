package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodExitRequest;
import dev.trainlog.core.internal.journal.DebuggedChild;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that delivered everything and closed, whose closing thread does not come back within the time close
 * gives it (a starved machine): close answers from what the backend's worker did. The closing thread is held at
 * the end of the backend's close by a debugger, in a child JVM, until the dispatcher's close has answered. Before,
 * that close said "not delivered" and kept the journal.
 */
class StarvedCloserTest {

  @TempDir Path dir;

  @Test
  void aBackendThatDeliveredIsDeliveredEvenWhenItsClosingThreadComesBackLate() throws Exception {
    try (DebuggedChild child = DebuggedChild.start(StarvedCloserChild.class, dir.resolve("child.err"), dir.toString())) {
      VirtualMachine vm = child.vm;
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter(BackendChannel.class.getName());
      prepare.enable();
      vm.resume();

      holdTheClosingThread(vm);
      assertThat(child.lineStartingWith(StarvedCloserChild.CLOSED)).as("the child's errors: %s", child.errors())
          .isEqualTo(StarvedCloserChild.CLOSED + " true FINISHED 10 flushed=true journal kept=false");
    }
  }

  /** Runs the child until a thread closing a backend returns from its close, and leaves that thread stopped there. */
  private static void holdTheClosingThread(VirtualMachine vm) throws InterruptedException {
    MethodExitRequest exits = null;
    while (true) {
      EventSet events = vm.eventQueue().remove(60_000);
      assertThat(events).as("an event from the child within a minute").isNotNull();
      for (Event e : events) {
        if (e instanceof ClassPrepareEvent) {
          exits = vm.eventRequestManager().createMethodExitRequest();
          exits.addClassFilter(BackendChannel.class.getName());
          exits.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
          exits.enable();
        } else if (e instanceof MethodExitEvent exit && exit.method().name().equals("close")
            && exit.thread().name().startsWith("trainlog-close-")) {
          exits.disable(); // that thread stays stopped; the others run on
          return;
        } else if (e instanceof VMDisconnectEvent) {
          throw new AssertionError("the child ended before a backend was closed");
        }
      }
      events.resume();
    }
  }
}
