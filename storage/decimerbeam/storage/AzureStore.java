package decimerbeam.storage;

import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure Blob Storage through the Azure SDK: hierarchical listing with the delimiter "/", paged;
 * uploads as a single Put Blob with overwrite, which replaces a blob atomically. Every call
 * (a listing with all its pages, a read, a check, a write) is retried as a whole through
 * transient failures under the access's {@link StorageRetry}; the SDK itself tries each request
 * once, within the retry's per-try timeout. One client per account and access per JVM.
 */
final class AzureStore implements BlobStore {

  private static final int PAGE_SIZE = 5000;
  private static final Map<String, BlobServiceClient> CLIENTS = new ConcurrentHashMap<>();

  private final AzureAccess access;
  private final Retrying retrying;

  AzureStore(AzureAccess access) {
    this.access = access;
    this.retrying = new Retrying(access.retry());
  }

  private BlobContainerClient container(Location l) {
    String key = l.account() + "|" + access.hashCode();
    BlobServiceClient client = CLIENTS.computeIfAbsent(key, k -> build(l.account()));
    return client.getBlobContainerClient(l.container());
  }

  private BlobServiceClient build(String account) {
    // One try per request here: Retrying owns the retries, with a window sized for outages.
    RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.FIXED, 1,
        access.retry().tryTimeout(), null, null, null);
    BlobServiceClientBuilder b = new BlobServiceClientBuilder().retryOptions(retry);
    if (!access.connectionString().isEmpty()) {
      b.connectionString(access.connectionString());
      if (!access.endpoint().isEmpty()) {
        b.endpoint(access.endpoint());
      }
      return b.buildClient();
    }
    String name = access.accountName().isEmpty() ? account : access.accountName();
    b.endpoint(access.endpoint().isEmpty()
        ? "https://" + name + ".blob.core.windows.net" : access.endpoint());
    if (!access.accountKey().isEmpty()) {
      b.credential(new StorageSharedKeyCredential(name, access.accountKey()));
    } else if (!access.sasToken().isEmpty()) {
      b.sasToken(access.sasToken());
    } else {
      b.credential(new DefaultAzureCredentialBuilder().build());
    }
    return b.buildClient();
  }

  private static String prefixOf(Location dir) {
    return dir.blobPath();
  }

  @Override
  public Level listLevel(Location directory) throws IOException {
    String what = "listing " + directory;
    try {
      return retrying.call(what, () -> listOnce(directory));
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private Level listOnce(Location directory) {
    List<Location> dirs = new ArrayList<>();
    List<FileEntry> files = new ArrayList<>();
    String prefix = prefixOf(directory);
    try {
      ListBlobsOptions opts = new ListBlobsOptions().setPrefix(prefix)
          .setMaxResultsPerPage(PAGE_SIZE);
      for (BlobItem item : container(directory).listBlobsByHierarchy("/", opts, null)) {
        if (Boolean.TRUE.equals(item.isPrefix())) {
          dirs.add(atBlob(directory, item.getName()));
        } else if (!item.getName().endsWith("/")) {
          files.add(entry(directory, prefix, item));
        }
      }
    } catch (BlobStorageException e) {
      // A container that does not exist holds nothing, like a prefix that does not exist.
      if (e.getStatusCode() != 404) {
        throw e;
      }
      return new Level(List.of(), List.of());
    }
    return new Level(dirs, files);
  }

  private static FileEntry entry(Location directory, String prefix, BlobItem item) {
    String name = item.getName().substring(prefix.length());
    long size = item.getProperties() == null || item.getProperties().getContentLength() == null
        ? -1 : item.getProperties().getContentLength();
    String etag = item.getProperties() == null || item.getProperties().getETag() == null
        ? "" : item.getProperties().getETag();
    return new FileEntry(name, directory.resolve(name), size, etag);
  }

  @Override
  public byte[] read(Location file) throws IOException {
    String what = "reading " + file;
    try {
      return retrying.call(what,
          () -> container(file).getBlobClient(file.blobPath()).downloadContent().toBytes());
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public Optional<byte[]> readIfExists(Location file) throws IOException {
    String what = "reading " + file;
    try {
      return retrying.call(what, () -> {
        try {
          return Optional.of(container(file).getBlobClient(file.blobPath()).downloadContent()
              .toBytes());
        } catch (BlobStorageException e) {
          if (e.getStatusCode() == 404) {
            return Optional.<byte[]>empty();
          }
          throw e;
        }
      });
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public boolean exists(Location file) throws IOException {
    String what = "checking " + file;
    try {
      return retrying.call(what, () -> container(file).getBlobClient(file.blobPath()).exists());
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public void writeAtomically(Location file, byte[] content) throws IOException {
    String what = "writing " + file;
    try {
      retrying.call(what, () -> {
        BlobContainerClient c = container(file);
        try {
          c.getBlobClient(file.blobPath()).upload(BinaryData.fromBytes(content), true);
        } catch (BlobStorageException e) {
          if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
            throw e;
          }
          // Only the first write into a new output container pays for creating it: checking
          // before every write would double the staging calls.
          c.createIfNotExists();
          c.getBlobClient(file.blobPath()).upload(BinaryData.fromBytes(content), true);
        }
        return null;
      });
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public void deleteIfExists(Location file) throws IOException {
    String what = "deleting " + file;
    try {
      retrying.call(what, () -> container(file).getBlobClient(file.blobPath()).deleteIfExists());
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public void deleteAll(Location directory) throws IOException {
    String what = "deleting " + directory;
    try {
      retrying.call(what, () -> {
        BlobContainerClient c = container(directory);
        ListBlobsOptions opts = new ListBlobsOptions().setPrefix(prefixOf(directory))
            .setMaxResultsPerPage(PAGE_SIZE);
        try {
          for (BlobItem item : c.listBlobs(opts, null)) {
            c.getBlobClient(item.getName()).deleteIfExists();
          }
        } catch (BlobStorageException e) {
          if (e.getStatusCode() != 404) {
            throw e;
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private static Location atBlob(Location dir, String blobName) {
    return new Location("azfs://" + dir.account() + "/" + dir.container() + "/" + blobName);
  }

  private IOException failure(String what, RuntimeException e) {
    RuntimeException last = e;
    String tried = "";
    if (e instanceof Retrying.GaveUp gaveUp && e.getCause() instanceof RuntimeException cause) {
      last = cause;
      tried = ", gave up after " + gaveUp.tries + (gaveUp.tries == 1 ? " try" : " tries")
          + " in " + gaveUp.elapsed.toSeconds() + " s";
    }
    String detail = last instanceof BlobStorageException bse
        ? "HTTP " + bse.getStatusCode() + " " + bse.getErrorCode()
        : rootCause(last);
    return new IOException(Redaction.clean(what + " failed (" + access.method() + tried + "): "
        + detail));
  }

  private static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
