import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Listens on args[0]:args[1] and closes every connection it accepts: a peer to reach, no more. */
public class EchoServer {
  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getByName(args[0]))) {
      System.out.println("listening");
      System.out.flush();
      while (true) {
        try (Socket socket = server.accept()) {
          socket.getOutputStream().write('x');
        }
      }
    }
  }
}
