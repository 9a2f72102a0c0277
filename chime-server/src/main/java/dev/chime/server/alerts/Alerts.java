package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Channel;
import dev.chime.dispatch.TargetGuard;
import dev.chime.secret.SecretBox;
import dev.chime.store.AlertRuleStore;
import dev.chime.store.AlertStore;
import dev.chime.store.ChannelStore;
import dev.chime.store.Database;
import dev.chime.store.DeliveryStore;
import dev.chime.store.IncidentStore;
import dev.chime.store.NodeStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A node's alerting: two background threads, one judging the rules every {@code poll}, one sending
 * the outbox; and what the API needs (the stores, sealing of channel credentials, a test send).
 * Every node runs both; the database makes each incident and each message one across the cluster.
 */
public final class Alerts implements AutoCloseable {
  /** Deliveries kept after they were sent or given up, for a look at what went out. */
  static final Duration KEEP = Duration.ofDays(7);

  private final Clock clock;
  private final ChannelStore channels;
  private final AlertRuleStore rules;
  private final IncidentStore incidents;
  private final ChannelSecrets secrets;
  private final AlertStore store;
  private final DeliveryStore deliveries;
  private final AlertJudge judge;
  private final AlertSender sender;
  private final AlertMessages messages;
  private final AlertLoop judging;
  private final AlertLoop sending;
  private final String publicUrl;
  private boolean closed;

  public Alerts(
      Database db,
      SecretBox box,
      TargetGuard guard,
      Clock clock,
      String publicUrl,
      String nodeId,
      Duration poll) {
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.channels = new ChannelStore(db);
    this.rules = new AlertRuleStore(db);
    this.incidents = new IncidentStore(db);
    this.secrets = new ChannelSecrets(box);
    this.store = new AlertStore(db);
    this.deliveries = new DeliveryStore(db);
    this.messages = new AlertMessages(publicUrl);
    this.judge =
        new AlertJudge(
            store,
            new NodeStore(db),
            messages,
            new FiringJudge(store, new ScheduleStore(db), new RunStore(db), messages));
    this.sender = new AlertSender(deliveries, channels, secrets, guard, nodeId);
    this.judging = new AlertLoop("chime-alerts-judge-" + nodeId, poll, this::judge);
    this.sending = new AlertLoop("chime-alerts-send-" + nodeId, poll, this::sendDue);
  }

  public void start() {
    judging.start();
    sending.start();
  }

  /** One judgement of every rule at the clock's time (the loop's step; for tests). */
  public void judge() {
    judge.judge(clock.instant());
  }

  /** One drain of the outbox at the clock's time; returns the deliveries delivered. */
  public int sendDue() {
    Instant now = clock.instant();
    int delivered = sender.sendDue(now);
    deliveries.forget(now.minus(KEEP), 500);
    return delivered;
  }

  public ChannelStore channels() {
    return channels;
  }

  public AlertRuleStore rules() {
    return rules;
  }

  public IncidentStore incidents() {
    return incidents;
  }

  /** The base URL alerts link to, and check-ins are pinged on ({@code public.url}). */
  public String publicUrl() {
    return publicUrl;
  }

  public ChannelSecrets secrets() {
    return secrets;
  }

  /**
   * Why the node's address policy refuses a channel's URL (loopback or private addresses when the
   * operator refuses them; link-local and metadata addresses always); empty when it may be called.
   */
  public Optional<String> refusalOf(java.net.URI url) {
    return sender.refusalOf(url);
  }

  /** How a test send went: delivered or not, in words, and how long it took. */
  public record TestResult(boolean delivered, String detail, long durationMs) {}

  /** Sends a test alert to {@code channel} now, outside the outbox, and says how it went. */
  public TestResult test(Channel channel) {
    Instant now = clock.instant();
    ObjectNode message = messages.test(channel, now);
    long started = System.nanoTime();
    try {
      String detail = sender.send(channel, List.of(message), "msg_" + UUID.randomUUID(), now);
      return new TestResult(true, detail, (System.nanoTime() - started) / 1_000_000);
    } catch (DeliveryFailure e) {
      return new TestResult(false, e.getMessage(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    judging.close();
    sending.close();
    sender.close();
  }
}
