package decimerbeam.inference;

import java.util.Collection;
import java.util.Locale;

/**
 * How far a recognised row can be taken as read: HIGH with no warning, otherwise the lowest
 * level any of its warnings allows ({@link Warning#lowersTo}).
 */
public enum Trust {
  HIGH, MEDIUM, LOW;

  public static Trust of(Collection<Warning> warnings) {
    Trust t = HIGH;
    for (Warning w : warnings) {
      if (w.lowersTo().compareTo(t) > 0) {
        t = w.lowersTo();
      }
    }
    return t;
  }

  /** The name written in results: {@code high}, {@code medium}, {@code low}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
