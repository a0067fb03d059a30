package decimerbeam.pipeline;

import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.storage.ServedAccount;

/**
 * Refuses, at launch, an {@code azfs://} location in another storage account than the one a
 * connection string, blob endpoint or account name reaches: the run would otherwise read and
 * write that other account under the location's name.
 */
final class AccountCheck {

  private AccountCheck() {}

  /** Throws IllegalArgumentException naming both accounts and the option, if they differ. */
  static void require(AzureAccess access, String option, String location) {
    if (location == null || !location.strip().startsWith("azfs://")) {
      return;
    }
    Location l = Location.parse(location);
    ServedAccount served = ServedAccount.of(access).orElse(null);
    if (served == null || served.serves(l)) {
      return;
    }
    throw new IllegalArgumentException(option + " " + l + " is in storage account "
        + l.account() + ", but " + optionOf(served.source()) + " reaches account "
        + served.name() + ", which would be read and written instead");
  }

  private static String optionOf(ServedAccount.Source source) {
    return switch (source) {
      case ENDPOINT -> "--azureBlobEndpoint";
      case CONNECTION_STRING -> "--azureConnectionString (default $"
          + AzureAccess.ENV_CONNECTION_STRING + ")";
      case ACCOUNT_NAME -> "--azureAccountName";
    };
  }
}
