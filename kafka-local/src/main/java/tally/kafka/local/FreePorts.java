package tally.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds TCP ports on the loopback interface for servers that must be told their port up front. */
public final class FreePorts {

  private FreePorts() {}

  /**
   * A port that was free a moment ago. Another process may take it before the caller binds it; the
   * broker then fails to start and its log says so.
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind any port on the loopback interface", e);
    }
  }

  /** {@code port} if it is free on loopback, otherwise a clear {@link IllegalStateException}. */
  public static int requireFree(int port, String purpose) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          purpose + " port must be 1-65535 (or 0 for any free port), got " + port);
    }
    try (ServerSocket socket = new ServerSocket()) {
      // SO_REUSEADDR as servers set it, so a port in TIME_WAIT after a restart still counts as
      // free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          purpose
              + " port "
              + port
              + " on "
              + InetAddress.getLoopbackAddress().getHostAddress()
              + " is already in use (another broker still running?); choose another port or 0 for"
              + " any free port",
          e);
    }
  }

  /** {@code requested} if positive (and free), a fresh free port if 0. */
  public static int resolve(int requested, String purpose) {
    return requested == 0 ? pick() : requireFree(requested, purpose);
  }

  /** {@code preferred} if it is free on loopback, otherwise any free port. */
  public static int preferring(int preferred) {
    if (preferred <= 0) {
      return pick();
    }
    try {
      return requireFree(preferred, "preferred");
    } catch (IllegalStateException taken) {
      return pick();
    }
  }
}
