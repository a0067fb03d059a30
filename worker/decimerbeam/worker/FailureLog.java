package decimerbeam.worker;

import decimerbeam.storage.Redaction;
import org.slf4j.Logger;

/**
 * Logs the exceptions that become failure rows, stack trace included, at most {@code perMinute}
 * of them a minute per JVM; the rest are counted and the count is named in the next line logged,
 * so one bad directory cannot flood a worker's log.
 */
public final class FailureLog {

  private final Logger log;
  private final int perMinute;
  private long windowStart;
  private int loggedInWindow;
  private long suppressed;

  public FailureLog(Logger log, int perMinute) {
    this.log = log;
    this.perMinute = perMinute;
  }

  /** Logs {@code what} with {@code error}'s stack trace unless this minute's quota is used. */
  public synchronized boolean failed(String what, Throwable error) {
    long now = System.nanoTime();
    if (now - windowStart > 60_000_000_000L) {
      windowStart = now;
      loggedInWindow = 0;
    }
    if (loggedInWindow >= perMinute) {
      suppressed++;
      return false;
    }
    loggedInWindow++;
    String more = suppressed == 0 ? "" : " (" + suppressed + " earlier failures not logged)";
    suppressed = 0;
    log.warn("{}: {}{}", what, Redaction.clean(String.valueOf(error.getMessage())), more,
        new RedactedTrace(error));
    return true;
  }

  /** The error's stack trace with secrets stripped from every message in its cause chain. */
  static final class RedactedTrace extends Exception {
    RedactedTrace(Throwable error) {
      super(error.getClass().getName() + ": " + Redaction.clean(error.getMessage()),
          error.getCause() == null ? null : new RedactedTrace(error.getCause()), false, true);
      setStackTrace(error.getStackTrace());
    }

    /** Printed as the original exception's class and (cleaned) message. */
    @Override
    public String toString() {
      return getMessage();
    }
  }
}
