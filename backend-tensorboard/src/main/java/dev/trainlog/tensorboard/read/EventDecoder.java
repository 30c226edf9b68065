package dev.trainlog.tensorboard.read;

/**
 * Decodes one {@code Event} message: wall time, step, file version, SessionLog status and the summary
 * (through a {@link SummaryDecoder} that lives as long as the file's reader). Events of other kinds
 * (graphs, run metadata, log messages) are counted as skipped.
 */
final class EventDecoder {

  private static final int WALL_TIME = 1;
  private static final int STEP = 2;
  private static final int FILE_VERSION = 3;
  private static final int GRAPH_DEF = 4;
  private static final int SUMMARY = 5;
  private static final int LOG_MESSAGE = 6;
  private static final int SESSION_LOG = 7;
  private static final int TAGGED_RUN_METADATA = 8;
  private static final int META_GRAPH_DEF = 9;
  private static final int SESSION_LOG_STATUS = 1;

  private final SummaryDecoder summaries = new SummaryDecoder();

  EventContent decode(byte[] data, int offset, int length) {
    WireReader in = new WireReader(data, offset, length);
    EventContent out = new EventContent();
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case WALL_TIME -> out.wallTime = in.readDouble();
        case STEP -> out.step = in.readVarint();
        case FILE_VERSION -> out.fileVersion = in.readString();
        case SUMMARY -> summaries.decode(in.readMessage(), out);
        case SESSION_LOG -> out.sessionLog = sessionLog(in.readMessage());
        case GRAPH_DEF -> skip(in, out, "graph");
        case LOG_MESSAGE -> skip(in, out, "log_message");
        case TAGGED_RUN_METADATA -> skip(in, out, "run_metadata");
        case META_GRAPH_DEF -> skip(in, out, "meta_graph");
        default -> in.skip();
      }
    }
    return out;
  }

  private static void skip(WireReader in, EventContent out, String kind) {
    in.skip();
    out.skip(kind);
  }

  private static String sessionLog(WireReader in) {
    long status = 0;
    for (int f; (f = in.nextField()) != -1; ) {
      if (f == SESSION_LOG_STATUS) {
        status = in.readVarint();
      } else {
        in.skip();
      }
    }
    return switch ((int) status) {
      case 1 -> "START";
      case 2 -> "STOP";
      case 3 -> "CHECKPOINT";
      default -> "STATUS_UNSPECIFIED";
    };
  }
}
