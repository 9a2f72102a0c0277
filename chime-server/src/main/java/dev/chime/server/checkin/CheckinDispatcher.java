package dev.chime.server.checkin;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.store.CheckinStore;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The dispatcher of a node that has check-ins: a check-in's run calls nothing. It succeeds at once
 * when the job pinged within the grace before the instant; otherwise it is accepted, like a 202,
 * and waits for the ping until the instant and the grace, when it ends {@code missed}. Every other
 * target goes to the HTTP dispatcher.
 */
public final class CheckinDispatcher implements Dispatcher {
  private final Dispatcher http;
  private final CheckinStore checkins;

  public CheckinDispatcher(Dispatcher http, CheckinStore checkins) {
    this.http = http;
    this.checkins = checkins;
  }

  @Override
  public RunOutcome call(DispatchRequest request) throws InterruptedException {
    if (!request.target().isCheckin()) {
      return http.call(request);
    }
    if (checkins.takeEarlyPing(
        request.scheduleId(), request.scheduledAt().minus(request.target().asyncTimeout()))) {
      return new RunOutcome(
          RunStatus.SUCCESS,
          OptionalInt.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.of("pinged before its instant"),
          0);
    }
    return RunOutcome.accepted(null, 0);
  }

  @Override
  public void close() {
    http.close();
  }
}
