package dev.chime.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The format of Chime's log on standard output: {@code plain} lines (the default, as logback.xml
 * writes them) or {@code json}, one JSON object per line (logback's JsonEncoder: timestamp, level,
 * thread, logger, message, arguments, exception), for log collectors.
 */
final class LogFormat {
  private LogFormat() {}

  /**
   * With {@code on} false, the {@code chime.runs} logger writes warnings only: no line per ended
   * run ({@code CHIME_LOG_RUNS=off}).
   */
  static void runs(boolean on) {
    if (!on && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("chime.runs").setLevel(Level.WARN);
    }
  }

  static void apply(String format) {
    if (!format.equals("json")) {
      return;
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (Iterator<Appender<ILoggingEvent>> it =
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // the message as people read it, not its {} pattern and arguments apart
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }
}
