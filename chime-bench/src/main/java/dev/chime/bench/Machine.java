package dev.chime.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;

/** The facts of the machine a bench ran on, to be read beside every figure it printed. */
public final class Machine {
  private Machine() {}

  /** The one-minute load average: benches share the cores with whatever else runs. */
  public static double loadAverage() {
    return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
        / 100.0;
  }

  /** Cores, JDK and operating system. */
  public static ObjectNode facts() {
    ObjectNode machine = JsonNodeFactory.instance.objectNode();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    return machine;
  }

  /** One line of {@link #facts()} for a table's head. */
  public static String line(ObjectNode facts) {
    return facts.path("cores").asInt()
        + " cores, JDK "
        + facts.path("jdk").asText()
        + ", "
        + facts.path("os").asText();
  }
}
