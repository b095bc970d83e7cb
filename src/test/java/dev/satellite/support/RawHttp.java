package dev.satellite.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP as bytes on a socket, for requests no well-behaved client library would send. Blocking; test threads only. */
public final class RawHttp {

  private RawHttp() {
  }

  /**
   * Sends {@code request} as it is and returns everything that comes back, ending with {@code <closed>} when the
   * server closed the connection or {@code <open>} when it was still open after {@code wait}.
   */
  public static String exchange(int port, String request, Duration wait) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return readAll(s, wait);
    }
  }

  /**
   * Reads what arrives within {@code window} in all — for a stream that keeps sending, where {@link #readAll} would
   * never see a pause — ending with {@code <closed>}, {@code <open>} or {@code <reset>} as {@link #readAll} does.
   */
  public static String readFor(Socket s, Duration window) throws IOException {
    long deadline = System.nanoTime() + window.toNanos();
    StringBuilder out = new StringBuilder();
    byte[] buf = new byte[8192];
    InputStream in = s.getInputStream();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return out + "<open>";
        }
        s.setSoTimeout((int) left);
        int n = in.read(buf);
        if (n < 0) {
          return out + "<closed>";
        }
        out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      return out + "<open>";
    } catch (IOException reset) {
      return out + "<reset>";
    }
  }

  public static String readAll(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    StringBuilder out = new StringBuilder();
    byte[] buf = new byte[8192];
    InputStream in = s.getInputStream();
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      return out + "<closed>";
    } catch (SocketTimeoutException e) {
      return out + "<open>";
    } catch (IOException reset) {
      return out + "<reset>";
    }
  }
}
