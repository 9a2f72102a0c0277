package dev.chime;

/** The object asked for does not exist, or is not visible to the caller's tenant. */
public class NotFoundException extends ChimeException {
  private final String kind;
  private final String id;

  public NotFoundException(String kind, String id) {
    super(kind + " " + id + " does not exist");
    this.kind = kind;
    this.id = id;
  }

  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}
