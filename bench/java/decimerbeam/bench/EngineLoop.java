package decimerbeam.bench;

import decimerbeam.inference.Recognizer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The raw engine loop: images already in memory, {@code concurrency} threads, one model. */
final class EngineLoop {

  private EngineLoop() {}

  /** Recognises every image once; returns image name → SMILES. */
  static Map<String, String> run(Recognizer engine, List<String> names, List<byte[]> bytes,
      int concurrency) throws Exception {
    ConcurrentHashMap<String, String> smiles = new ConcurrentHashMap<>();
    Workers.forEachIndex(bytes.size(), concurrency,
        i -> smiles.put(names.get(i), engine.recognize(bytes.get(i)).smiles()));
    return new TreeMap<>(smiles);
  }
}
