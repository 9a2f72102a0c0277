package dev.chime.dispatch;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call as it goes: how far it got, for the message of a timeout; the first bytes of the answer;
 * and the means to stop reading it. The JDK client hands it the response headers (it is the call's
 * body handler) and then the body, which it reads only up to the excerpt's size: a longer body is
 * cut there and its connection closed, so a huge answer costs no more than its excerpt.
 */
final class CallProgress implements HttpResponse.BodyHandler<CallProgress>, CallState {
  /** How far a call got, in order. */
  enum Stage {
    /** Connecting, or writing the request line and headers. */
    CONNECTING,
    SENDING_BODY,
    SENT,
    HEADERS
  }

  /** The most bytes past the excerpt read, and dropped, to keep a connection. */
  static final int DRAIN_MAX = 64 * 1024;

  private final byte[] excerpt;

  /** Completes once the excerpt is full or the body ended, whichever comes first. */
  private final CompletableFuture<Void> excerptRead = new CompletableFuture<>();

  /** Completes once the body ended, or was cut. */
  private final CompletableFuture<Void> bodyEnded = new CompletableFuture<>();

  private volatile Stage stage = Stage.CONNECTING;
  private volatile boolean sendsBody;
  private volatile int status;
  private int length;
  private long bytesRead;
  private boolean cut;
  private Flow.Subscription subscription;
  private boolean ended;

  CallProgress(int excerptBytes) {
    this.excerpt = new byte[excerptBytes];
  }

  /** The request body, telling this call when it starts going out and when it is all out. */
  HttpRequest.BodyPublisher watch(HttpRequest.BodyPublisher body) {
    sendsBody = true;
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> sender) {
        reach(Stage.SENDING_BODY);
        body.subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                sender.onSubscribe(s);
              }

              @Override
              public void onNext(ByteBuffer item) {
                sender.onNext(item);
              }

              @Override
              public void onError(Throwable e) {
                sender.onError(e);
              }

              @Override
              public void onComplete() {
                reach(Stage.SENT);
                sender.onComplete();
              }
            });
      }
    };
  }

  @Override
  public HttpResponse.BodySubscriber<CallProgress> apply(HttpResponse.ResponseInfo info) {
    status = info.statusCode();
    reach(Stage.HEADERS);
    return new Reader();
  }

  @Override
  public Stage stage() {
    return stage;
  }

  /**
   * Whether the request has a body this call watches: then a call still {@link Stage#CONNECTING} is
   * known not to be connected, since the client sends a body only once it is.
   */
  boolean sendsBody() {
    return sendsBody;
  }

  /** The status the target answered with, once its headers came. */
  @Override
  public OptionalInt status() {
    return stage == Stage.HEADERS ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /** Waits until the excerpt is read: it is full, or the body ended before it was. */
  void awaitExcerpt(long nanos) throws InterruptedException, ExecutionException, TimeoutException {
    excerptRead.get(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Waits at most {@code nanos} for the rest of the body past the excerpt; false if it has not
   * ended by then, or failed (its connection is then not kept, and the excerpt is all that counts).
   */
  boolean awaitEnd(long nanos) throws InterruptedException {
    try {
      bodyEnded.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
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

  /**
   * Stops reading the body, closing its connection, unless it already ended; a body that has not
   * begun is refused when it does. Safe to call more than once.
   */
  void abandon() {
    Flow.Subscription toCancel;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      toCancel = subscription;
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    excerptRead.cancel(false);
    bodyEnded.cancel(false);
  }

  private synchronized void reach(Stage next) {
    if (next.compareTo(stage) > 0) {
      stage = next;
    }
  }

  /** Keeps the first bytes of the body, drops a little more, and cuts the rest. */
  private final class Reader implements HttpResponse.BodySubscriber<CallProgress> {
    @Override
    public CompletionStage<CallProgress> getBody() {
      // the response is handed over at once; the call waits for the body on excerptRead
      return CompletableFuture.completedStage(CallProgress.this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      boolean refused;
      synchronized (CallProgress.this) {
        refused = ended;
        subscription = s;
      }
      if (refused) {
        s.cancel();
        return;
      }
      if (excerpt.length == 0) {
        excerptRead.complete(null);
      }
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      Flow.Subscription s;
      boolean full;
      boolean tooLong;
      synchronized (CallProgress.this) {
        if (ended) {
          return;
        }
        for (ByteBuffer item : items) {
          int take = Math.min(item.remaining(), excerpt.length - length);
          item.get(excerpt, length, take);
          length += take;
          bytesRead += take;
          if (item.hasRemaining()) {
            bytesRead += item.remaining();
            cut = true;
          }
        }
        full = length == excerpt.length;
        tooLong = bytesRead - length > DRAIN_MAX;
        ended = tooLong;
        s = subscription;
      }
      if (tooLong) {
        // Cancelled here, on the thread that delivers the body and before it parses on: a body
        // that ends just past the limit cannot have put its connection back in the pool yet,
        // and the client pools no connection that is closed.
        s.cancel();
        bodyEnded.complete(null);
      } else {
        s.request(1);
      }
      if (full) {
        excerptRead.complete(null);
      }
    }

    @Override
    public void onError(Throwable e) {
      synchronized (CallProgress.this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      excerptRead.completeExceptionally(e);
      bodyEnded.completeExceptionally(e);
    }

    @Override
    public void onComplete() {
      synchronized (CallProgress.this) {
        ended = true;
      }
      excerptRead.complete(null);
      bodyEnded.complete(null);
    }
  }
}
