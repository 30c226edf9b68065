package dev.trainlog.core.internal.journal;

import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link HeldClaimCountTest} runs under a debugger: a reader thread of a dropping cursor reads the
 * first records of a journal of three 8 KiB segments (the debugger stops it inside its last claim); once told
 * {@link #GO} on its standard input, the main thread appends until the journal gives their segment up, prints
 * {@link #APPENDED} and waits to be killed. Argument: the directory for the journal.
 */
public final class HeldClaimChild {

  static final int SEGMENT = 8192;
  static final int READ = 5;
  static final String GO = "GO";
  static final String APPENDED = "APPENDED";

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
    Thread reader = new Thread(() -> {
      try {
        for (int k = 0; k < READ; k++) {
          tailer.next(); // held unwritten, as a worker's batch: the cursor does not move
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "held-reader");
    reader.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!GO.equals(in.readLine())) {
      return;
    }
    for (long s = READ; s < 3000; s++) {
      journal.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    System.out.println(APPENDED);
    System.out.flush();
    in.readLine(); // killed before this returns
  }
}
