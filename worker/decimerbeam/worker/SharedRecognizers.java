package decimerbeam.worker;

import decimerbeam.inference.Recognizer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One recognizer per sharing key per JVM (per class loader), however many DoFn instances or
 * threads a runner creates: acquired in {@code @Setup}, released in {@code @Teardown}, closed
 * when the last holder releases it.
 */
public final class SharedRecognizers {

  private record Entry(Recognizer recognizer, int holders) {}

  private static final Map<String, Entry> SHARED = new HashMap<>();

  private SharedRecognizers() {}

  /**
   * The factory's recognizer for this JVM's concurrency, created if no holder has it yet.
   * Creation happens under the lock so concurrent first callers load once.
   */
  public static synchronized Recognizer acquire(RecognizerFactory factory,
      int concurrentInferences) throws IOException {
    String key = factory.sharingKey(concurrentInferences);
    Entry e = SHARED.get(key);
    if (e == null) {
      e = new Entry(factory.create(concurrentInferences), 0);
    }
    SHARED.put(key, new Entry(e.recognizer(), e.holders() + 1));
    return e.recognizer();
  }

  /**
   * Gives one hold back. The last holder's release returns the recognizer to be closed by the
   * caller once nothing runs on it (true); otherwise false.
   */
  public static synchronized boolean release(Recognizer recognizer) {
    for (Map.Entry<String, Entry> me : SHARED.entrySet()) {
      Entry e = me.getValue();
      if (e.recognizer() == recognizer) {
        if (e.holders() <= 1) {
          SHARED.remove(me.getKey());
          return true;
        }
        me.setValue(new Entry(recognizer, e.holders() - 1));
        return false;
      }
    }
    return false;
  }

  /** Holders of all recognizers in this JVM (for tests and logs). */
  public static synchronized int holders() {
    return SHARED.values().stream().mapToInt(Entry::holders).sum();
  }
}
