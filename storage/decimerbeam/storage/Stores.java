package decimerbeam.storage;

/** Picks the store for a location. */
public final class Stores {

  private Stores() {}

  public static BlobStore forLocation(Location location, AzureAccess access) {
    return location.isAzure() ? new AzureStore(access) : LocalStore.INSTANCE;
  }
}
