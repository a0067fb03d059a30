package decimerbeam.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one storage account an access reaches whatever account an {@code azfs://} URI names: the
 * account of its blob endpoint, of its connection string, or its account name. A location in
 * another account would be read or written there, in the wrong account, so it is refused.
 * Without any of them each URI's own account is used, and every account is served.
 *
 * @param name the account
 * @param source what binds the access to it
 */
public record ServedAccount(String name, Source source) {

  /** What binds an access to one account. */
  public enum Source { ENDPOINT, CONNECTION_STRING, ACCOUNT_NAME }

  /** The account Azurite and the storage emulator serve ({@code UseDevelopmentStorage=true}). */
  static final String DEVELOPMENT_ACCOUNT = "devstoreaccount1";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** The account {@code access} is bound to, in the order AzureStore builds its client. */
  public static Optional<ServedAccount> of(AzureAccess access) {
    String connection = access.connectionString();
    if (!access.endpoint().isEmpty()) {
      Optional<String> atEndpoint = ofEndpoint(access.endpoint());
      if (atEndpoint.isPresent()) {
        return Optional.of(new ServedAccount(atEndpoint.get(), Source.ENDPOINT));
      }
    }
    if (!connection.isEmpty()) {
      return ofConnectionString(connection)
          .map(name -> new ServedAccount(name, Source.CONNECTION_STRING));
    }
    if (!access.accountName().isEmpty()) {
      return Optional.of(new ServedAccount(access.accountName(), Source.ACCOUNT_NAME));
    }
    return Optional.empty();
  }

  /** Whether this account serves {@code l}: account names are case-insensitive host labels. */
  public boolean serves(Location l) {
    return !l.isAzure() || l.account().equalsIgnoreCase(name);
  }

  /** The account a connection string reaches: its blob endpoint's, else its account name. */
  static Optional<String> ofConnectionString(String connection) {
    String accountName = "";
    String blobEndpoint = "";
    boolean development = false;
    for (String part : connection.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).strip();
      switch (key) {
        case "accountname" -> accountName = value;
        case "blobendpoint" -> blobEndpoint = value;
        case "usedevelopmentstorage" -> development = value.equalsIgnoreCase("true");
        default -> { }
      }
    }
    Optional<String> atEndpoint = ofEndpoint(blobEndpoint);
    if (atEndpoint.isPresent()) {
      return atEndpoint;
    }
    if (!accountName.isEmpty()) {
      return Optional.of(accountName);
    }
    return development ? Optional.of(DEVELOPMENT_ACCOUNT) : Optional.empty();
  }

  /**
   * The account at a blob endpoint: {@code https://<account>.blob.<suffix>}, or path-style
   * {@code http://<host>:<port>/<account>} where the host is an address or a bare name
   * (Azurite, a local proxy). Other hosts (custom domains) do not say.
   */
  static Optional<String> ofEndpoint(String endpoint) {
    if (endpoint.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String host = uri.getHost();
    if (host == null) {
      return Optional.empty();
    }
    int blob = host.toLowerCase(Locale.ROOT).indexOf(".blob.");
    if (blob > 0) {
      return Optional.of(host.substring(0, blob));
    }
    boolean pathStyle = host.startsWith("[") || IPV4.matcher(host).matches()
        || !host.contains(".");
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    return pathStyle && !first.isEmpty() ? Optional.of(first) : Optional.empty();
  }
}
