package decimerbeam.inference;

/** A per-image failure with a kind a user can act on; never a crash of the caller. */
public final class RecognitionException extends Exception {

  /** Why an image could not be recognised. Names are stable: they appear in result rows. */
  public enum Kind {
    /** Zero bytes, truncated or corrupt data. */
    UNREADABLE,
    /** Bytes that are not an image format the engine decodes. */
    UNSUPPORTED_FORMAT,
    /** Dimensions over the pixel limit, rejected before the pixels are decoded. */
    TOO_LARGE,
    /** No pixel dark enough to be a drawing (DECIMER's crop finds nothing). */
    BLANK_IMAGE,
    /** The model failed or produced a token the vocabulary does not know. */
    MODEL_ERROR,
    /** Recognition took longer than the configured limit. */
    TIMEOUT,
    /** The image could not be read from storage. */
    READ_ERROR
  }

  private final Kind kind;
  private final boolean mayPass;

  public RecognitionException(Kind kind, String message) {
    this(kind, message, null, false);
  }

  public RecognitionException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, false);
  }

  private RecognitionException(Kind kind, String message, Throwable cause, boolean mayPass) {
    super(message, cause);
    this.kind = kind;
    this.mayPass = mayPass;
  }

  /**
   * A failure that says nothing about the image and may pass when fewer images compete for
   * memory or storage answers again (native memory refused, no room to run in time, storage
   * gave up): worth another try before it becomes the image's row.
   */
  public static RecognitionException mayPass(Kind kind, String message, Throwable cause) {
    return new RecognitionException(kind, message, cause, true);
  }

  public Kind kind() {
    return kind;
  }

  /** Whether another try, later and with fewer images in flight, may succeed. */
  public boolean mayPass() {
    return mayPass;
  }
}
