package dev.chime.bench;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

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
        new AbstractHandler() {
          @Override
          public void handle(
              String target, Request base, HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            request.getInputStream().readAllBytes();
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
            base.setHandled(true);
          }
        });
    server.start();
    return connector.getLocalPort();
  }
}
