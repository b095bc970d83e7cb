package dev.satellite.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Clients of one node the way real ones spread: {@code keptAlive} clients each on a connection of its own that it
 * keeps open (the node's listener hands connections to its event loops in turn, so they land on every loop) and
 * {@code fresh} clients that open a new connection for every request. Together they send one request every
 * {@code every}: each client every {@code every × clients}, staggered. A client waits for its answer (up to
 * {@code timeout}) before its next tick, as a client does; a failed connection is opened again for the next request.
 * Records when each request was sent, by whom, and how it ended. Bounded in time; its threads are daemons.
 */
public final class PacedProbe {

  /** One request: its client, when it was sent ({@code System.nanoTime()}), its status (-1: no answer), its time. */
  public record Shot(int client, long sentNanos, int status, long tookNanos) {

    boolean ok() {
      return status == 200;
    }

    long endedNanos() {
      return sentNanos + tookNanos;
    }
  }

  private final int port;
  private final String path;
  private final Duration every;
  private final Duration timeout;
  private final int keptAlive;
  private final int clients;
  private final List<Shot> shots = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public PacedProbe(int port, String path, Duration every, Duration timeout, int keptAlive, int fresh) {
    this.port = port;
    this.path = path;
    this.every = every;
    this.timeout = timeout;
    this.keptAlive = keptAlive;
    this.clients = keptAlive + fresh;
  }

  /** Starts every client; each stops by itself after {@code maxDuration}. */
  public PacedProbe start(Duration maxDuration) {
    running = true;
    long t0 = System.nanoTime();
    long end = t0 + maxDuration.toNanos();
    long period = every.toNanos() * clients;
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> run(client, t0 + client * every.toNanos(), period, end), "probe-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return this;
  }

  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(timeout.toMillis() + 2000);
    }
  }

  public List<Shot> shots() {
    synchronized (shots) {
      return new ArrayList<>(shots);
    }
  }

  private void run(int client, long first, long period, long end) {
    boolean keep = client < keptAlive;
    Socket socket = null;
    long next = first;
    while (running && next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          break;
        }
      }
      long sent = System.nanoTime();
      int status = -1;
      try {
        if (socket == null) {
          socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
        }
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis() - (System.nanoTime() - sent) / 1_000_000));
        status = exchange(socket, keep);
      } catch (IOException e) {
        status = -1;
      }
      if (!keep || status < 0) {
        close(socket);
        socket = null;
      }
      shots.add(new Shot(client, sent, status, System.nanoTime() - sent));
      next += period;
      while (next < System.nanoTime()) {
        next += period; // a late answer skips the ticks it missed: a client sends one request at a time
      }
    }
    close(socket);
  }

  private int exchange(Socket s, boolean keep) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keep ? "" : "Connection: close\r\n") + "\r\n";
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readResponse(s.getInputStream());
  }

  private static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  /** Reads one response (head and a Content-Length body) and returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!endsWithBlankLine(head)) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed before a response");
      }
      head.append((char) c);
    }
    String h = head.toString();
    int status = Integer.parseInt(h.substring(9, 12));
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return status;
  }

  private static boolean endsWithBlankLine(StringBuilder b) {
    int n = b.length();
    return n >= 4 && b.charAt(n - 4) == '\r' && b.charAt(n - 3) == '\n' && b.charAt(n - 2) == '\r' && b.charAt(n - 1) == '\n';
  }

  /**
   * What the clients saw from a moment ({@code System.nanoTime()}) on. A request counts where it ended: one sent
   * just before the moment and answered after it was exposed to it.
   *
   * @param sent             requests that ended after the moment
   * @param failed           those not answered 200
   * @param mostPerClient    the most failures any one client saw
   * @param lastSentMs       ms from the moment to the sending of the last failed request (-1: none failed)
   * @param lastEndedMs      ms from the moment to the end of the last failed request (-1: none failed)
   * @param failedBefore     requests that failed before the moment (there should be none)
   * @param statuses         the failures by status (-1: no answer)
   * @param slowestMs        the longest any request that ended after the moment took, failed or not
   */
  public record Around(int sent, int failed, int mostPerClient, long lastSentMs, long lastEndedMs, int failedBefore,
      Map<Integer, Integer> statuses, long slowestMs) {

    @Override
    public String toString() {
      return failed + " of " + sent + " failed " + statuses + ", at most " + mostPerClient + " per client, last sent "
          + lastSentMs + " ms and answered " + lastEndedMs + " ms after the moment; slowest answer " + slowestMs + " ms";
    }
  }

  public Around around(long momentNanos) {
    int sent = 0;
    int failed = 0;
    int before = 0;
    long lastSent = -1;
    long lastEnded = -1;
    long slowest = 0;
    int[] perClient = new int[clients];
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Shot s : shots()) {
      if (s.endedNanos() < momentNanos) {
        before += s.ok() ? 0 : 1;
        continue;
      }
      sent++;
      slowest = Math.max(slowest, s.tookNanos() / 1_000_000);
      if (!s.ok()) {
        failed++;
        perClient[s.client()]++;
        statuses.merge(s.status(), 1, Integer::sum);
        lastSent = Math.max(lastSent, Math.max(0, s.sentNanos() - momentNanos) / 1_000_000);
        lastEnded = Math.max(lastEnded, (s.endedNanos() - momentNanos) / 1_000_000);
      }
    }
    int most = 0;
    for (int n : perClient) {
      most = Math.max(most, n);
    }
    return new Around(sent, failed, most, lastSent, lastEnded, before, statuses, slowest);
  }
}
