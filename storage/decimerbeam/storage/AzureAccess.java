package decimerbeam.storage;

import java.io.Serial;
import java.io.Serializable;

/**
 * How to reach Azure Blob Storage, serialisable so workers can build their own clients. Exactly
 * one way is used, in this order: connection string, account key, SAS token, then
 * DefaultAzureCredential (managed identity, environment, Azure CLI). Never printed with its
 * secrets, and never serialised with them: a job graph carries {@link AccessWithoutSecrets},
 * and a worker in another JVM resolves the secrets from its own environment.
 *
 * @param endpoint blob service endpoint; empty means {@code https://<account>.blob.core.windows.net}
 *     with the account taken from each {@code azfs://} location
 * @param retry how each storage call rides out transient failures
 */
public record AzureAccess(
    String connectionString, String accountName, String accountKey, String sasToken,
    String endpoint, StorageRetry retry) implements Serializable {

  /** The environment variables that hold the secrets, where options do not give them. */
  public static final String ENV_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
  public static final String ENV_ACCOUNT_KEY = "AZURE_STORAGE_KEY";
  public static final String ENV_SAS_TOKEN = "AZURE_STORAGE_SAS_TOKEN";

  public AzureAccess {
    connectionString = blankToEmpty(connectionString);
    accountName = blankToEmpty(accountName);
    accountKey = blankToEmpty(accountKey);
    sasToken = blankToEmpty(sasToken);
    endpoint = blankToEmpty(endpoint);
    retry = retry == null ? StorageRetry.defaults() : retry;
  }

  /** The default retry window, capped at {@code maxTries} tries per call (0: no cap). */
  public AzureAccess(String connectionString, String accountName, String accountKey,
      String sasToken, String endpoint, int maxTries) {
    this(connectionString, accountName, accountKey, sasToken, endpoint,
        StorageRetry.defaults().withMaxTries(maxTries));
  }

  public AzureAccess withRetry(StorageRetry r) {
    return new AzureAccess(connectionString, accountName, accountKey, sasToken, endpoint, r);
  }

  /** From AZURE_STORAGE_CONNECTION_STRING / _KEY / _SAS_TOKEN, else DefaultAzureCredential. */
  public static AzureAccess fromEnvironment() {
    return fromEnvironment("", "", StorageRetry.defaults());
  }

  /** This JVM's secrets from its environment, with the given non-secret settings. */
  static AzureAccess fromEnvironment(String accountName, String endpoint, StorageRetry retry) {
    return new AzureAccess(System.getenv(ENV_CONNECTION_STRING), accountName,
        System.getenv(ENV_ACCOUNT_KEY), System.getenv(ENV_SAS_TOKEN), endpoint, retry);
  }

  public static AzureAccess none() {
    return new AzureAccess("", "", "", "", "", StorageRetry.defaults());
  }

  /** Whether a key, SAS token or connection string was given (not DefaultAzureCredential). */
  public boolean hasSecrets() {
    return !connectionString.isEmpty() || !accountKey.isEmpty() || !sasToken.isEmpty();
  }

  String method() {
    if (!connectionString.isEmpty()) {
      return "connection string";
    }
    if (!accountKey.isEmpty()) {
      return "account key";
    }
    if (!sasToken.isEmpty()) {
      return "SAS token";
    }
    return "DefaultAzureCredential";
  }

  /** Java serialisation (job graphs, DoFn copies) writes the secret-free form instead. */
  @Serial
  private Object writeReplace() {
    return AccessWithoutSecrets.of(this);
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.strip();
  }

  @Override
  public String toString() {
    return "AzureAccess[" + method() + (endpoint.isEmpty() ? "" : ", endpoint=" + endpoint)
        + (accountName.isEmpty() ? "" : ", account=" + accountName) + "]";
  }
}
