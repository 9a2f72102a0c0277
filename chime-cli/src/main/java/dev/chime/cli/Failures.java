package dev.chime.cli;

import dev.chime.client.ChimeApiException;
import dev.chime.client.ChimeConnectionException;
import dev.chime.client.ConflictException;
import dev.chime.client.FieldError;
import dev.chime.client.ForbiddenException;
import dev.chime.client.InvalidInputException;
import dev.chime.client.InvalidSpecException;
import dev.chime.client.NotFoundException;
import dev.chime.client.QuotaExceededException;
import dev.chime.client.RateLimitedException;
import dev.chime.client.UnauthorizedException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Every failure a command throws, told on stderr in a line or a few, and its exit code. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception failure, CommandLine line, CommandLine.ParseResult parsed) {
    PrintWriter err = line.getErr();
    int code = tell(failure, err, line);
    err.flush();
    return code;
  }

  private static int tell(Exception failure, PrintWriter err, CommandLine line) {
    switch (failure) {
      case UsageException usage -> {
        err.println("chime: " + usage.getMessage());
        err.println("See '" + line.getCommandSpec().qualifiedName() + " --help' for the options.");
        return ExitCodes.USAGE;
      }
      case NotFoundException missing -> {
        err.println("chime: not found: " + missing.detail());
        return ExitCodes.NOT_FOUND;
      }
      case NoSuchThingException missing -> {
        err.println("chime: " + missing.getMessage());
        return ExitCodes.NOT_FOUND;
      }
      case InvalidInputException invalid -> {
        err.println("chime: refused: " + invalid.problem().title());
        fieldErrors(err, invalid.errors(), invalid.detail());
        return ExitCodes.REFUSED;
      }
      case QuotaExceededException quota -> {
        err.println("chime: over a limit: " + quota.detail());
        return ExitCodes.REFUSED;
      }
      case ConflictException conflict -> {
        err.println("chime: refused: " + conflict.detail());
        return ExitCodes.REFUSED;
      }
      case InvalidSpecException spec -> {
        err.println("chime: not a schedule:");
        fieldErrors(err, spec.errors(), spec.getMessage());
        return ExitCodes.REFUSED;
      }
      case RefusedException refused -> {
        err.println("chime: " + refused.getMessage());
        return ExitCodes.REFUSED;
      }
      case UnauthorizedException unauthorized -> {
        err.println(
            "chime: the token was refused ("
                + unauthorized.detail()
                + "); give one with --token, CHIME_TOKEN or token= in the config file");
        return ExitCodes.AUTH;
      }
      case ForbiddenException forbidden -> {
        err.println(
            "chime: forbidden: "
                + forbidden
                    .scope()
                    .map(scope -> "this token lacks the scope " + scope)
                    .orElse(forbidden.detail()));
        return ExitCodes.AUTH;
      }
      case RateLimitedException limited -> {
        err.println("chime: " + limited.detail());
        return ExitCodes.AUTH;
      }
      case ChimeConnectionException unanswered -> {
        err.println("chime: " + unanswered.getMessage());
        return ExitCodes.UNAVAILABLE;
      }
      case ChimeApiException other -> {
        err.println("chime: " + other.getMessage());
        return other.status() >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
      }
      default -> {
        err.println("chime: " + failure);
        return ExitCodes.UNAVAILABLE;
      }
    }
  }

  private static void fieldErrors(
      PrintWriter err, java.util.List<FieldError> errors, String detail) {
    if (errors.isEmpty()) {
      err.println("  " + detail);
    }
    for (FieldError error : errors) {
      err.println("  " + error.field() + ": " + error.reason());
    }
  }
}
