package decimerbeam.inference;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies a prepared model from remote storage (such as {@code azfs://}) into a local directory.
 * Supplied by the layer that knows the storage; the engine only ever loads local files.
 */
public interface RemoteModels {

  boolean handles(String location);

  /** Copies every file below {@code location} into {@code target}, keeping relative paths. */
  void copyTo(String location, Path target) throws IOException;

  /** The bytes of the prepared model's manifest at {@code location}, as stored now. */
  byte[] readManifest(String location) throws IOException;

  RemoteModels NONE = new RemoteModels() {
    @Override
    public boolean handles(String location) {
      return false;
    }

    @Override
    public void copyTo(String location, Path target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] readManifest(String location) {
      throw new UnsupportedOperationException();
    }
  };
}
