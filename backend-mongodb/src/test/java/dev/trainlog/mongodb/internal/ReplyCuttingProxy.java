package dev.trainlog.mongodb.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a test server that passes the wire protocol's messages on whole and, when asked, lets the
 * next {@code insert} through but cuts the connection instead of passing on the server's answer: the documents are
 * stored, and the client is never told so, as when a store goes away between its commit and its reply.
 */
final class ReplyCuttingProxy implements AutoCloseable {

  /** A BSON string element named {@code insert}: the first element of an insert command. */
  private static final byte[] INSERT = "\u0002insert\u0000".getBytes(StandardCharsets.ISO_8859_1);

  private final int targetPort;
  private final ServerSocket listener;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final Set<Integer> cutAnswersTo = ConcurrentHashMap.newKeySet();
  private final CountDownLatch cut = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  ReplyCuttingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String uri() {
    return "mongodb://127.0.0.1:" + listener.getLocalPort();
  }

  /** The next insert reaches the server; its answer does not reach the client, whose connection is cut. */
  void cutTheNextInsertsAnswer() {
    armed.set(true);
  }

  /** Whether an answer was cut. */
  boolean cut() {
    return cut.getCount() == 0;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        pipe(client, server, true);
        pipe(server, client, false);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean requests) {
    Thread t = new Thread(() -> {
      try (from; to) {
        DataInputStream in = new DataInputStream(from.getInputStream());
        OutputStream out = to.getOutputStream();
        while (true) {
          byte[] message = readMessage(in);
          ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
          if (requests && contains(message, INSERT) && armed.compareAndSet(true, false)) {
            cutAnswersTo.add(header.getInt(4));
          } else if (!requests && cutAnswersTo.remove(header.getInt(8))) {
            cut.countDown();
            return; // both sockets close: the client waits for an answer that never comes
          }
          out.write(message);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: the other closes with it
      }
    }, requests ? "proxy-requests" : "proxy-answers");
    t.setDaemon(true);
    t.start();
  }

  /** One whole message: its length (little-endian, the first 4 bytes, counting themselves) and the rest. */
  private static byte[] readMessage(DataInputStream in) throws IOException {
    byte[] lengthBytes = new byte[4];
    in.readFully(lengthBytes);
    int length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    byte[] message = new byte[length];
    System.arraycopy(lengthBytes, 0, message, 0, 4);
    in.readFully(message, 4, length - 4);
    return message;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
