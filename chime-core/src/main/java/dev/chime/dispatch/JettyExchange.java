package dev.chime.dispatch;

import dev.chime.dispatch.CallProgress.Stage;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;

/**
 * One call on Jetty's client as it goes: how far it got, the first bytes of the answer, and the
 * means to stop it. Jetty hands it the events of the exchange on its own threads; the caller waits
 * on it. The body is read a chunk at a time, the next asked for only once one is taken; a body past
 * the excerpt is dropped up to {@link CallProgress#DRAIN_MAX}, to keep its connection, and the
 * exchange aborted past that, which closes the connection, without asking for more.
 */
final class JettyExchange implements Response.Listener, CallState {
  private final byte[] excerpt;

  /** Completes once the excerpt is full or the exchange ended, whichever comes first. */
  private final CompletableFuture<Void> excerptRead = new CompletableFuture<>();

  /** Completes once Jetty is done with the exchange: its connection released or closed. */
  private final CompletableFuture<Result> done = new CompletableFuture<>();

  private volatile Stage stage = Stage.CONNECTING;
  private volatile int status;
  private volatile Optional<String> retryAfter = Optional.empty();
  private volatile Request request;
  private int length;
  private long bytesRead;
  private boolean cut;
  private boolean abandoned;

  JettyExchange(int excerptBytes) {
    this.excerpt = new byte[excerptBytes];
  }

  /** Watches {@code request} go out, and sends it with this exchange as its response listener. */
  void send(Request request) {
    this.request = request;
    // begin: the request got a connection and its first bytes go out
    request.onRequestBegin(r -> reach(Stage.SENDING_BODY)).onRequestSuccess(r -> reach(Stage.SENT));
    request.send(this);
  }

  @Override
  public Stage stage() {
    return stage;
  }

  /** The status the target answered with, once its headers came. */
  @Override
  public OptionalInt status() {
    return stage == Stage.HEADERS ? OptionalInt.of(status) : OptionalInt.empty();
  }

  Optional<String> retryAfter() {
    return retryAfter;
  }

  /** Waits until the excerpt is read: it is full, or the exchange ended before it was. */
  void awaitExcerpt(long nanos) throws InterruptedException, ExecutionException, TimeoutException {
    excerptRead.get(nanos, TimeUnit.NANOSECONDS);
  }

  /** Waits at most {@code nanos} for the exchange to end, well or not; true if it did. */
  boolean awaitEnd(long nanos) throws InterruptedException {
    try {
      done.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /**
   * Aborts the exchange unless it ended, closing its connection, and waits at most {@code nanos}
   * for Jetty to be done with it, through an interrupt, which it keeps. Safe to call more than
   * once. The reason is made only for an exchange still under way: every call ends with an abandon,
   * and an exception's stack trace costs more than the rest of it.
   */
  void abandon(Supplier<? extends Throwable> why, long nanos) {
    synchronized (this) {
      abandoned = true;
    }
    if (done.isDone()) {
      return;
    }
    request.abort(why.get());
    boolean interrupted = false;
    long deadline = System.nanoTime() + nanos;
    while (true) {
      try {
        awaitEnd(deadline - System.nanoTime());
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** What was read of the body so far; empty when nothing was. */
  @Override
  public synchronized Optional<String> excerpt() {
    return Utf8Excerpt.decode(excerpt, length, cut);
  }

  synchronized long bytesRead() {
    return bytesRead;
  }

  @Override
  public void onHeaders(Response response) {
    if (HttpStatus.isInterim(response.getStatus())) {
      return; // a 1xx before the answer, which Jetty reads past
    }
    status = response.getStatus();
    retryAfter = Optional.ofNullable(response.getHeaders().get(HttpHeader.RETRY_AFTER));
    reach(Stage.HEADERS);
    if (excerpt.length == 0) {
      excerptRead.complete(null);
    }
  }

  @Override
  public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
    if (take(chunk.getByteBuffer())) {
      demander.run();
    } else {
      // aborted on the thread that delivers the body, before Jetty reads on: the connection is
      // closed, never put back in the pool
      response.abort(new CutOff());
    }
  }

  /** Keeps what fits of {@code content} in the excerpt; false once the body is to be cut off. */
  private boolean take(ByteBuffer content) {
    boolean full;
    boolean tooLong;
    synchronized (this) {
      if (abandoned) {
        // the call is over and its exchange being aborted; what comes is dropped
        return true;
      }
      int take = Math.min(content.remaining(), excerpt.length - length);
      content.get(excerpt, length, take);
      length += take;
      bytesRead += take;
      if (content.hasRemaining()) {
        bytesRead += content.remaining();
        cut = true;
      }
      full = length == excerpt.length;
      tooLong = bytesRead - length > CallProgress.DRAIN_MAX;
      abandoned = tooLong;
    }
    if (full) {
      excerptRead.complete(null);
    }
    return !tooLong;
  }

  @Override
  public void onComplete(Result result) {
    if (result.isFailed()) {
      excerptRead.completeExceptionally(result.getFailure());
    } else {
      excerptRead.complete(null);
    }
    done.complete(result);
  }

  private synchronized void reach(Stage next) {
    if (next.compareTo(stage) > 0) {
      stage = next;
    }
  }

  /** Why a body past the excerpt and the drain was cut: not a failure of the call. */
  private static final class CutOff extends Exception {
    CutOff() {
      super("the body went on past the excerpt", null, false, false);
    }
  }
}
