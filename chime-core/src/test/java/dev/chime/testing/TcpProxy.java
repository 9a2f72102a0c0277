package dev.chime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (a database), for tests of what Chime does
 * when that server goes away: {@link #cut()} drops every connection at once, as a server restart or
 * a network cut would; {@link #refuse()} also stops taking new ones until {@link #restore()}. The
 * port stays the same throughout, so clients reconnect to it by themselves.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private volatile boolean refusing;
  private volatile boolean closed;

  public TcpProxy(String host, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(host, upstreamPort);
    this.listener = listen(0);
    this.port = listener.getLocalPort();
    accept(listener);
  }

  public int port() {
    return port;
  }

  /** Drops every connection through the proxy; new ones are taken as before. */
  public void cut() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  /** Drops every connection and refuses new ones (the port is closed) until {@link #restore()}. */
  public synchronized void refuse() {
    refusing = true;
    closeQuietly(listener);
    cut();
  }

  /** Takes connections again after {@link #refuse()}. */
  public synchronized void restore() throws IOException {
    if (listener.isClosed()) {
      refusing = false;
      listener = listen(port);
      accept(listener);
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket server) {
    Thread.ofVirtual()
        .name("tcp-proxy-accept-" + port)
        .start(
            () -> {
              while (!server.isClosed() && !closed) {
                try {
                  Socket client = server.accept();
                  open.add(client); // before refuse() can look, so that it closes this one too
                  Thread.ofVirtual().start(() -> connect(client));
                } catch (IOException e) {
                  return; // closed by refuse() or close()
                }
              }
            });
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    open.add(server);
    try {
      server.connect(upstream, 5_000);
      if (refusing || client.isClosed()) {
        throw new IOException("refused meanwhile");
      }
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Thread.ofVirtual().start(() -> pump(client, server));
      pump(server, client);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: so does the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already gone
    }
    if (closeable instanceof Socket socket) {
      open.remove(socket);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    refuse();
  }
}
