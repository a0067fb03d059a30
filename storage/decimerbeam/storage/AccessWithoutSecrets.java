package decimerbeam.storage;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an {@link AzureAccess} becomes when it is serialised into a job graph: the endpoint, the
 * account name, the tries and a random reference, never a secret. Deserialised in the JVM that
 * built it (DirectRunner, Flink's embedded cluster), the reference finds the secrets this JVM was
 * given; anywhere else (a TaskManager) the worker takes its credentials from its own environment
 * ({@code AZURE_STORAGE_*}), else DefaultAzureCredential (managed identity).
 */
final class AccessWithoutSecrets implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** Secrets given to this JVM, by reference; they never leave it. */
  private static final Map<String, AzureAccess> HERE = new ConcurrentHashMap<>();
  private static final Map<AzureAccess, String> REFERENCES = new ConcurrentHashMap<>();

  private final String reference;
  private final String accountName;
  private final String endpoint;
  private final StorageRetry retry;

  private AccessWithoutSecrets(String reference, String accountName, String endpoint,
      StorageRetry retry) {
    this.reference = reference;
    this.accountName = accountName;
    this.endpoint = endpoint;
    this.retry = retry;
  }

  static AccessWithoutSecrets of(AzureAccess access) {
    String reference = REFERENCES.computeIfAbsent(access, a -> {
      String r = UUID.randomUUID().toString();
      HERE.put(r, a);
      return r;
    });
    return new AccessWithoutSecrets(reference, access.accountName(), access.endpoint(),
        access.retry());
  }

  @Serial
  private Object readResolve() {
    AzureAccess here = HERE.get(reference);
    if (here != null) {
      return here;
    }
    return AzureAccess.fromEnvironment(accountName, endpoint, retry);
  }
}
