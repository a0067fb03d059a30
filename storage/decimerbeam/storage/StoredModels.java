package decimerbeam.storage;

import decimerbeam.inference.PreparedModel;
import decimerbeam.inference.RemoteModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Prepared models kept in blob storage ({@code azfs://.../model-dir/}), copied file by file. */
public final class StoredModels implements RemoteModels {

  private final AzureAccess access;

  public StoredModels(AzureAccess access) {
    this.access = access;
  }

  @Override
  public boolean handles(String location) {
    return location != null && location.startsWith("azfs://");
  }

  @Override
  public byte[] readManifest(String location) throws IOException {
    Location root = Location.directory(location);
    return Stores.forLocation(root, access).read(root.resolve(PreparedModel.MANIFEST));
  }

  @Override
  public void copyTo(String location, Path target) throws IOException {
    Location root = Location.directory(location);
    BlobStore store = Stores.forLocation(root, access);
    List<Location> pending = new ArrayList<>(List.of(root));
    int files = 0;
    while (!pending.isEmpty()) {
      Location dir = pending.remove(pending.size() - 1);
      BlobStore.Level level = store.listLevel(dir);
      pending.addAll(level.subdirectories());
      for (FileEntry f : level.files()) {
        // Blob names are not paths: "../x" must not land outside the cache.
        Path out = SafeNames.under(target, root.relativize(dir) + f.name());
        Files.createDirectories(out.getParent());
        Files.write(out, store.read(f.location()));
        files++;
      }
    }
    if (files == 0) {
      throw new IOException("no files under " + location);
    }
  }
}
