package dev.chime.dispatch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * A {@link TargetGuard} in Jetty's client: host names are resolved by the guard's resolver, and
 * every address is checked by the connector just before it is connected to, so the address checked
 * is the address connected to, whatever DNS answers in between. A refused address is passed over
 * for the next one the name resolved to; when none is left the call fails with the refusal.
 *
 * <p>A request is tagged with its tenant's allow-list (Jetty keeps a pool of connections per tag),
 * so a connection opened under one allow-list is never reused under another.
 */
final class JettyGuard {
  private JettyGuard() {}

  /** The resolver Jetty asks for the addresses of a host, on a virtual thread of its own. */
  static SocketAddressResolver resolver(TargetGuard guard) {
    return (host, port, context, promise) ->
        Thread.ofVirtual()
            .name("chime-resolve")
            .start(
                () -> {
                  List<InetSocketAddress> addresses = new ArrayList<>();
                  try {
                    for (InetAddress address : guard.resolve(host)) {
                      addresses.add(new InetSocketAddress(address, port));
                    }
                  } catch (UnknownHostException e) {
                    promise.failed(e);
                    return;
                  } catch (RuntimeException e) {
                    promise.failed(e);
                    return;
                  }
                  if (addresses.isEmpty()) {
                    promise.failed(new UnknownHostException(host));
                  } else {
                    promise.succeeded(addresses);
                  }
                });
  }

  /** A connector that connects only to addresses the guard allows for the request's tag. */
  static ClientConnector connector(TargetGuard guard) {
    return new ClientConnector() {
      @Override
      public void connect(SocketAddress address, Map<String, Object> context) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
          Destination destination = (Destination) context.get(Destination.CONTEXT_KEY);
          String host =
              destination == null
                  ? inet.getHostString()
                  : destination.getOrigin().getAddress().getHost();
          TargetAllowList allowList =
              destination != null && destination.getOrigin().getTag() instanceof TargetAllowList tag
                  ? tag
                  : TargetAllowList.ANY;
          var refused = guard.refusal(host, inet.getAddress(), allowList);
          if (refused.isPresent()) {
            // what the connector does with a failed connect, without a channel opened
            @SuppressWarnings("unchecked")
            Promise<?> connecting =
                (Promise<?>) context.get(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY);
            if (connecting != null) {
              connecting.failed(new TargetForbidden(refused.get()));
            }
            return;
          }
        }
        super.connect(address, context);
      }
    };
  }

  /** The tag that keeps connections of one allow-list apart: none for no narrowing. */
  static Object tag(TargetAllowList allowList) {
    return allowList.isAny() ? null : allowList;
  }
}
