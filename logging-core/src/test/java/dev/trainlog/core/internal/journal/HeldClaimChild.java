package dev.trainlog.core.internal.journal;

import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link HeldClaimCountTest} runs under a debugger, on a journal of three 8 KiB segments with one
 * cursor that drops: a reader thread reads its first {@link #READ} records, held unwritten as a worker's batch
 * (the cursor does not move), and says {@link #READ}; told {@link #MORE}, it reads one more and says so. Told
 * {@link #GO}, an appending thread appends until the journal first gives the cursor's records up, and says
 * {@link #APPENDED}. Argument: the directory for the journal.
 */
public final class HeldClaimChild {

  static final int SEGMENT = 8192;
  static final int READ = 5;
  static final String GO = "GO";
  static final String MORE = "MORE";
  static final String APPENDED = "APPENDED";
  static final String APPENDING_THREAD = "appending";

  private HeldClaimChild() {}

  public static void main(String[] args) throws Exception {
    RunInfo run = TestRecords.run("exp", "run");
    Journal journal = Journal.tryOpen(Path.of(args[0]), SEGMENT, 3L * SEGMENT);
    Cursor cursor = journal.cursor("slow", journal.head());
    journal.subscribe(cursor, false);
    JournalTailer tailer = JournalTailer.at(journal, cursor, true);
    for (long s = 0; s < READ; s++) {
      journal.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    CountDownLatch more = new CountDownLatch(1);
    new Thread(() -> {
      try {
        for (int k = 0; k < READ; k++) {
          tailer.next();
        }
        say("READ " + READ);
        more.await();
        say(MORE + " step " + tailer.next().step());
      } catch (Exception e) {
        say("reader failed: " + e);
      }
    }, "reader").start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) { // the test kills the process
      if (line.equals(MORE)) {
        more.countDown();
      } else if (line.equals(GO)) {
        new Thread(() -> {
          try {
            for (long s = READ; journal.droppedBy(cursor) == 0; s++) {
              journal.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
            }
            say(APPENDED);
          } catch (java.io.IOException e) {
            say("appending failed: " + e);
          }
        }, APPENDING_THREAD).start();
      }
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
