package decimerbeam.storage;

import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure Blob Storage through the Azure SDK: hierarchical listing with the delimiter "/", paged;
 * downloads retried with exponential backoff on transient errors; uploads as a single Put Blob
 * with overwrite, which replaces a blob atomically. One client per account and access per JVM.
 */
final class AzureStore implements BlobStore {

  private static final int PAGE_SIZE = 5000;
  private static final Map<String, BlobServiceClient> CLIENTS = new ConcurrentHashMap<>();

  private final AzureAccess access;

  AzureStore(AzureAccess access) {
    this.access = access;
  }

  private BlobContainerClient container(Location l) {
    String key = l.account() + "|" + access.hashCode();
    BlobServiceClient client = CLIENTS.computeIfAbsent(key, k -> build(l.account()));
    return client.getBlobContainerClient(l.container());
  }

  private BlobServiceClient build(String account) {
    RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL,
        access.maxTries(), Duration.ofSeconds(120), Duration.ofMillis(500),
        Duration.ofSeconds(30), null);
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
        throw failure("listing " + directory, e);
      }
    } catch (RuntimeException e) {
      throw failure("listing " + directory, e);
    }
    return new Level(dirs, files);
  }

  private static FileEntry entry(Location directory, String prefix, BlobItem item) {
    String name = item.getName().substring(prefix.length());
    long size = item.getProperties() == null || item.getProperties().getContentLength() == null
        ? -1 : item.getProperties().getContentLength();
    return new FileEntry(name, directory.resolve(name), size);
  }

  @Override
  public byte[] read(Location file) throws IOException {
    try {
      return container(file).getBlobClient(file.blobPath()).downloadContent().toBytes();
    } catch (RuntimeException e) {
      throw failure("reading " + file, e);
    }
  }

  @Override
  public Optional<byte[]> readIfExists(Location file) throws IOException {
    try {
      return Optional.of(container(file).getBlobClient(file.blobPath()).downloadContent()
          .toBytes());
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failure("reading " + file, e);
    } catch (RuntimeException e) {
      throw failure("reading " + file, e);
    }
  }

  @Override
  public boolean exists(Location file) throws IOException {
    try {
      return container(file).getBlobClient(file.blobPath()).exists();
    } catch (RuntimeException e) {
      throw failure("checking " + file, e);
    }
  }

  @Override
  public void writeAtomically(Location file, byte[] content) throws IOException {
    try {
      BlobContainerClient c = container(file);
      if (!c.exists()) {
        c.createIfNotExists();
      }
      c.getBlobClient(file.blobPath()).upload(BinaryData.fromBytes(content), true);
    } catch (RuntimeException e) {
      throw failure("writing " + file, e);
    }
  }

  @Override
  public void deleteIfExists(Location file) throws IOException {
    try {
      container(file).getBlobClient(file.blobPath()).deleteIfExists();
    } catch (RuntimeException e) {
      throw failure("deleting " + file, e);
    }
  }

  @Override
  public void deleteAll(Location directory) throws IOException {
    try {
      BlobContainerClient c = container(directory);
      ListBlobsOptions opts = new ListBlobsOptions().setPrefix(prefixOf(directory))
          .setMaxResultsPerPage(PAGE_SIZE);
      for (BlobItem item : c.listBlobs(opts, null)) {
        c.getBlobClient(item.getName()).deleteIfExists();
      }
    } catch (BlobStorageException e) {
      if (e.getStatusCode() != 404) {
        throw failure("deleting " + directory, e);
      }
    } catch (RuntimeException e) {
      throw failure("deleting " + directory, e);
    }
  }

  private static Location atBlob(Location dir, String blobName) {
    return new Location("azfs://" + dir.account() + "/" + dir.container() + "/" + blobName);
  }

  private IOException failure(String what, RuntimeException e) {
    String detail = e instanceof BlobStorageException bse
        ? "HTTP " + bse.getStatusCode() + " " + bse.getErrorCode()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new IOException(Redaction.clean(what + " failed (" + access.method() + "): " + detail));
  }
}
