package dev.chime;

/**
 * A change would take a tenant past one of its limits. Names the request field it is about, the
 * limit (as the tenant's quota field, e.g. {@code max_enabled_schedules}) and the limit's value.
 */
public class QuotaExceededException extends ChimeException {
  private final String field;
  private final String limit;
  private final long value;

  public QuotaExceededException(String field, String limit, long value, String message) {
    super(message);
    this.field = field;
    this.limit = limit;
    this.value = value;
  }

  public String field() {
    return field;
  }

  public String limit() {
    return limit;
  }

  public long value() {
    return value;
  }
}
