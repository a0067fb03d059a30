package decimerbeam.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which account a connection string, endpoint or account name binds an access to. */
class ServedAccountTest {

  private static final String AZURITE = "DefaultEndpointsProtocol=http;"
      + "AccountName=devstoreaccount1;AccountKey=a2V5;"
      + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

  private static AzureAccess access(String connection, String accountName, String endpoint) {
    return new AzureAccess(connection, accountName, "", "", endpoint, 1);
  }

  @Test
  void aConnectionStringServesOnlyItsOwnAccount() {
    ServedAccount served = ServedAccount.of(access(AZURITE, "", "")).orElseThrow();
    assertThat(served, equalTo(new ServedAccount("devstoreaccount1",
        ServedAccount.Source.CONNECTION_STRING)));
    assertThat("serves its own account",
        served.serves(Location.parse("azfs://devstoreaccount1/plates/in/")), is(true));
    assertThat("serves its own account, whatever the case",
        served.serves(Location.parse("azfs://DevStoreAccount1/plates/in/")), is(true));
    assertThat("does not serve another account",
        served.serves(Location.parse("azfs://production/plates/in/")), is(false));
    assertThat("serves local paths", served.serves(Location.parse("/data/plates/")), is(true));
  }

  @Test
  void theAccountComesFromTheEndpointTheNameOrTheEmulatorFlag() {
    assertThat(ServedAccount.ofConnectionString(
        "DefaultEndpointsProtocol=https;AccountName=labdata;AccountKey=a2V5;"
            + "EndpointSuffix=core.windows.net"), equalTo(Optional.of("labdata")));
    assertThat(ServedAccount.ofConnectionString(
        "BlobEndpoint=https://labdata.blob.core.windows.net/;SharedAccessSignature=sv=1&sig=x"),
        equalTo(Optional.of("labdata")));
    assertThat(ServedAccount.ofConnectionString("UseDevelopmentStorage=true"),
        equalTo(Optional.of("devstoreaccount1")));
    assertThat(ServedAccount.ofEndpoint("http://azurite:10000/devstoreaccount1"),
        equalTo(Optional.of("devstoreaccount1")));
    assertThat(ServedAccount.ofEndpoint("https://storage.example.com/"),
        equalTo(Optional.empty()));
  }

  @Test
  void anEndpointOptionOrAccountNameBindsAsTheStoreUsesThem() {
    assertThat(ServedAccount.of(access(AZURITE, "", "http://127.0.0.1:9/other")),
        equalTo(Optional.of(new ServedAccount("other", ServedAccount.Source.ENDPOINT))));
    assertThat(ServedAccount.of(access("", "labdata", "")),
        equalTo(Optional.of(new ServedAccount("labdata", ServedAccount.Source.ACCOUNT_NAME))));
  }

  @Test
  void withoutThemEachUriNamesItsOwnAccount() {
    assertThat(ServedAccount.of(AzureAccess.none()), equalTo(Optional.empty()));
  }
}
