package dev.chime.cli;

import dev.chime.client.ChimeJson;
import dev.chime.client.CronPreview;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime cron EXPR}: what a cron expression means and when it fires next. */
@Command(
    name = "cron",
    description =
        "What a cron expression means, and its next fires in a time zone (needs no token).")
final class CronCommand extends Subcommand implements java.util.concurrent.Callable<Integer> {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd EEE HH:mm:ss xxx", java.util.Locale.ROOT);

  @Parameters(paramLabel = "EXPR", description = "such as '0 9 * * 1-5' (quote it)")
  String expr;

  @Option(names = "--tz", paramLabel = "ZONE", description = "an IANA time zone (default UTC)")
  String timezone = "UTC";

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "how many fires (default 5, at most 100)")
  int count = 5;

  @Override
  public Integer call() {
    CronPreview preview = chime().previewCron(expr, timezone, count);
    if (json()) {
      printer().json(ChimeJson.write(preview));
      return ExitCodes.OK;
    }
    printer().line(preview.description() + " (" + preview.timezone() + ")");
    for (CronPreview.Fire fire : preview.fires()) {
      printer().line("  " + LOCAL.format(fire.local()) + "   " + fire.utc());
    }
    return ExitCodes.OK;
  }
}
