package dev.chime.client;

/**
 * The exception for each kind of error answer: one place, as the server has one for the other way.
 */
final class Problems {
  private Problems() {}

  static ChimeApiException exception(String call, Problem problem) {
    return switch (problem.status()) {
      case 400, 413, 415 -> new InvalidInputException(call, problem);
      case 401 -> new UnauthorizedException(call, problem);
      case 403 -> new ForbiddenException(call, problem);
      case 404 -> new NotFoundException(call, problem);
      case 409 -> new ConflictException(call, problem);
      case 422 -> new QuotaExceededException(call, problem);
      case 429 -> new RateLimitedException(call, problem);
      case 503 -> new UnavailableException(call, problem);
      default -> new ChimeApiException(call, problem);
    };
  }
}
