package decimerbeam.inference;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * How far a recognised row can be taken as read: HIGH with no warning, otherwise the lowest
 * level any of its warnings allows ({@link Warning#lowersTo}). A second reader that found exactly
 * the same structure outweighs low token confidence: two independent readers agreeing were
 * right on every such image measured (BENCHMARKS.md benchmark 6, 66 of 66).
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

  /** As {@link #of(Collection)}, with LOW_CONFIDENCE set aside when the readers agree. */
  public static Trust of(Collection<Warning> warnings, Optional<Agreement> agreement) {
    if (agreement.isPresent() && agreement.get().sameStructure()) {
      return of(warnings.stream().filter(w -> w != Warning.LOW_CONFIDENCE).toList());
    }
    return of(warnings);
  }

  /** The name written in results: {@code high}, {@code medium}, {@code low}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
