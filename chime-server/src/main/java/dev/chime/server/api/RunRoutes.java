package dev.chime.server.api;

import dev.chime.NotFoundException;
import dev.chime.store.RunStore;
import io.javalin.Javalin;
import java.util.UUID;

/** {@code /api/v1/runs/{id}}: one run. */
final class RunRoutes {
  private final RunStore runs;

  RunRoutes(RunStore runs) {
    this.runs = runs;
  }

  void register(Javalin app) {
    app.get(
        "/api/v1/runs/{id}",
        ctx -> {
          UUID id = Requests.id(ctx, "run");
          ctx.json(
              JsonViews.run(
                  runs.get(ScheduleRoutes.TENANT, id)
                      .orElseThrow(() -> new NotFoundException("run", id.toString()))));
        });
  }
}
