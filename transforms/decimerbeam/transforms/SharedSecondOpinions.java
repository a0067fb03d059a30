package decimerbeam.transforms;

import decimerbeam.inference.SecondOpinion;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One second reader per kind per JVM, however many DoFn instances a runner creates: a reader
 * bounds its own hung readings per instance, so sharing keeps that bound per worker.
 */
final class SharedSecondOpinions {

  private record Entry(SecondOpinion opinion, int holders) {}

  private static final Map<SecondReader, Entry> SHARED = new EnumMap<>(SecondReader.class);

  private SharedSecondOpinions() {}

  static synchronized Optional<SecondOpinion> acquire(SecondReader kind) {
    Entry e = SHARED.get(kind);
    if (e == null) {
      Optional<SecondOpinion> created = kind.create();
      if (created.isEmpty()) {
        return Optional.empty();
      }
      e = new Entry(created.get(), 0);
    }
    SHARED.put(kind, new Entry(e.opinion(), e.holders() + 1));
    return Optional.of(e.opinion());
  }

  static synchronized void release(SecondReader kind) {
    Entry e = SHARED.get(kind);
    if (e == null) {
      return;
    }
    if (e.holders() <= 1) {
      SHARED.remove(kind);
      e.opinion().close();
    } else {
      SHARED.put(kind, new Entry(e.opinion(), e.holders() - 1));
    }
  }
}
