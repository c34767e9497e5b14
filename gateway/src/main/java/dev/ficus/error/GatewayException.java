package dev.ficus.error;

/** Carries a {@link GatewayError} through code that can only throw. No stack trace is captured. */
public final class GatewayException extends RuntimeException {
  private final GatewayError error;

  public GatewayException(GatewayError error) {
    super(error.detail(), null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
