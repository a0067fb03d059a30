package decimerbeam.inference;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One engine per model per JVM (per class loader), however many DoFn instances or threads a
 * runner creates: acquired in {@code @Setup}, released in {@code @Teardown}, closed when the last
 * holder releases it.
 */
public final class SharedEngines {

  private record Entry(DecimerEngine engine, int holders) {}

  private static final Map<String, Entry> ENGINES = new HashMap<>();

  private SharedEngines() {}

  /**
   * The engine for a model location ({@link ModelStore#resolve}), loading it if no holder has it
   * yet. Loading happens under the lock so concurrent first callers load once.
   */
  public static synchronized DecimerEngine acquire(String modelLocation, ModelStore store,
      EngineSettings settings) throws IOException {
    String key = modelLocation + "|" + store.cacheRoot() + "|" + settings;
    Entry e = ENGINES.get(key);
    if (e == null) {
      PreparedModel model = store.resolve(modelLocation);
      e = new Entry(DecimerEngine.load(model, settings), 0);
    }
    ENGINES.put(key, new Entry(e.engine(), e.holders() + 1));
    return e.engine();
  }

  public static synchronized void release(DecimerEngine engine) {
    for (Map.Entry<String, Entry> me : ENGINES.entrySet()) {
      Entry e = me.getValue();
      if (e.engine() == engine) {
        if (e.holders() <= 1) {
          ENGINES.remove(me.getKey());
          engine.close();
        } else {
          me.setValue(new Entry(engine, e.holders() - 1));
        }
        return;
      }
    }
  }

  public static synchronized int holdersOf(DecimerEngine engine) {
    return ENGINES.values().stream().filter(e -> e.engine() == engine)
        .mapToInt(Entry::holders).sum();
  }

  /** Holders of all engines in this JVM (for tests and logs). */
  public static synchronized int holders() {
    return ENGINES.values().stream().mapToInt(Entry::holders).sum();
  }

  public static synchronized int loadedEngines() {
    return ENGINES.size();
  }
}
