package dev.chime.bench;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A bare Jetty server, the one Javalin brings, that answers every request with one body. */
final class JettyTarget {
  private JettyTarget() {}

  /** Starts on a free port of 127.0.0.1 and returns the port. */
  static int start(byte[] answer) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            // the request body is read to its end before the answer goes out
            Content.Source.consumeAll(
                request,
                Callback.from(
                    () -> {
                      response.setStatus(200);
                      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
                      response.write(true, ByteBuffer.wrap(answer), callback);
                    },
                    callback::failed));
            return true;
          }
        });
    server.start();
    return connector.getLocalPort();
  }
}
