package dev.chime.dispatch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into the addresses a call may connect to: DNS, or a test's own answers. */
@FunctionalInterface
public interface HostResolver {
  /** The JVM's resolver (DNS, the hosts file), with the JVM's cache. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> resolve(String host) throws UnknownHostException;
}
