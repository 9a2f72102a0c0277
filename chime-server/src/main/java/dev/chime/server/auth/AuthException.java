package dev.chime.server.auth;

import dev.chime.ChimeException;
import java.time.Duration;

/** A request refused for who sent it; the API answers each kind with its own status. */
public sealed class AuthException extends ChimeException {
  private AuthException(String message) {
    super(message);
  }

  /** 401: no token, or one that is not valid. */
  public static final class Unauthorized extends AuthException {
    private final String challenge;

    Unauthorized(String challenge, String message) {
      super(message);
      this.challenge = challenge;
    }

    /** The {@code WWW-Authenticate} value. */
    public String challenge() {
      return challenge;
    }
  }

  /** 403: a valid token without the scope the request needs. */
  public static final class Forbidden extends AuthException {
    private final String scope;

    public Forbidden(String scope, String message) {
      super(message);
      this.scope = scope;
    }

    public String scope() {
      return scope;
    }
  }

  /** 429: too many bad tokens from one address. */
  public static final class Throttled extends AuthException {
    private final Duration retryAfter;

    Throttled(Duration retryAfter) {
      super("too many requests with bad tokens from this address; try again later");
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }
}
