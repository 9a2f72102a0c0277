import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A target to try Chime with: prints every call it gets (the Chime headers and the JSON body)
 * and answers 200. Run with {@code bin/echo-target [port]}; the default port is 9000.
 */
public class EchoTarget {
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          var headers = exchange.getRequestHeaders();
          System.out.printf(
              "%s %s %s  scheduled-at=%s run=%s key=%s%n  body: %s%n",
              Instant.now(),
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              headers.getFirst("Chime-Scheduled-At"),
              headers.getFirst("Chime-Run-Id"),
              headers.getFirst("Idempotency-Key"),
              body);
          byte[] answer = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    System.out.println("echo target listening on http://127.0.0.1:" + port + "/");
  }
}
