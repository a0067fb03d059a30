package decimerbeam.storage;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which storage failures are worth another try, and how long the server asked us to wait:
 * statuses 408, 429, 500, 502, 503, 504, timeouts, and broken or refused connections. Anything
 * else (403, 404, 409, a bad request) is the same on every try.
 */
final class TransientFailures {

  static final Set<Integer> STATUSES = Set.of(408, 429, 500, 502, 503, 504);

  private TransientFailures() {}

  static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HttpResponseException h && h.getResponse() != null) {
        return STATUSES.contains(h.getResponse().getStatusCode());
      }
      // Connection reset, refused or closed early, read timeouts: the SDK wraps them (in
      // UncheckedIOException or reactor's exceptions), so the cause chain is searched.
      if (c instanceof IOException || c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The server's {@code Retry-After} (seconds or an HTTP date), if the failure carries one. */
  static Optional<Duration> retryAfter(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HttpResponseException h && h.getResponse() != null) {
        return parse(h.getResponse());
      }
    }
    return Optional.empty();
  }

  private static Optional<Duration> parse(HttpResponse response) {
    String value = response.getHeaderValue("Retry-After");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException neither) {
        return Optional.empty();
      }
    }
  }
}
