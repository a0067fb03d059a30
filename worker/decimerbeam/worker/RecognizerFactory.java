package decimerbeam.worker;

import decimerbeam.inference.Recognizer;
import java.io.IOException;
import java.io.Serializable;

/**
 * What {@link decimerbeam.transforms.RecognizeImages} calls to get its recognizer on a worker.
 * Travels with the DoFn, so it holds settings, never a loaded model; {@link DecimerModel} is the
 * production one.
 */
public interface RecognizerFactory extends Serializable {

  /**
   * Factories with equal keys share one recognizer per worker JVM ({@link SharedRecognizers}).
   *
   * @param concurrentInferences how many calls the JVM's gate lets run at once
   */
  String sharingKey(int concurrentInferences);

  /** Loads the recognizer; called once per JVM and key. */
  Recognizer create(int concurrentInferences) throws IOException;

  /**
   * Which model answers, as far as reusing rows goes: rows staged under another identity are
   * never taken for this one's.
   */
  String identity();

  /**
   * Images per core the JVM keeps in flight when its RAM allows (the gate's permits are cores
   * times this): 1 for a recognizer that keeps its calling thread busy throughout.
   */
  default int imagesInFlightPerCore() {
    return 1;
  }

  /** A line for display data and logs; no secrets. */
  String describe();
}
