package decimerbeam.bench;

import decimerbeam.inference.Recognizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The raw engine loop: images already in memory, {@code concurrency} threads, one model. */
final class EngineLoop {

  private EngineLoop() {}

  /** Recognises every image once; returns image name → SMILES. */
  static Map<String, String> run(Recognizer engine, List<String> names, List<byte[]> bytes,
      int concurrency) throws Exception {
    ConcurrentHashMap<String, String> smiles = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        workers.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < bytes.size(); ) {
            smiles.put(names.get(i), engine.recognize(bytes.get(i)).smiles());
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
    return new TreeMap<>(smiles);
  }
}
