package decimerbeam.tools;

import static decimerbeam.tools.StorageRequestKind.DELETE;
import static decimerbeam.tools.StorageRequestKind.LIST;
import static decimerbeam.tools.StorageRequestKind.PROPERTIES;
import static decimerbeam.tools.StorageRequestKind.READ;
import static decimerbeam.tools.StorageRequestKind.WRITE;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault-injecting proxy in front of a real Azurite: it relays SharedKey-signed requests
 * unchanged, counts them by kind, and injects each fault only where it is told to.
 */
class StorageProxyIT {

  private static Azurite azurite;
  private static StorageProxy proxy;
  private static BlobContainerClient container;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    proxy = StorageProxy.inFrontOf(azurite);
    // One try per call: every request the SDK makes is one the test counts.
    container = new BlobServiceClientBuilder().connectionString(proxy.connectionString())
        .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, Duration.ofSeconds(5),
            null, null, null))
        .buildClient().getBlobContainerClient("proxy-test");
    container.createIfNotExists();
    container.getBlobClient("dirA/1.png").upload(BinaryData.fromString("a1"));
    container.getBlobClient("dirB/1.png").upload(BinaryData.fromString("b1"));
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    azurite.close();
  }

  @AfterEach
  void noFaults() {
    proxy.clearFaults();
  }

  private static List<String> list(String prefix) {
    return container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(prefix), null)
        .stream().map(BlobItem::getName).toList();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void relaysSignedRequestsUnchangedAndCountsThemByKind() {
    StorageCalls before = proxy.calls();
    container.getBlobClient("counted/x.png").upload(BinaryData.fromString("payload"), true);
    assertThat(container.getBlobClient("counted/x.png").downloadContent().toString(),
        equalTo("payload"));
    assertThat("counted/x.png exists once written",
        container.getBlobClient("counted/x.png").exists(), equalTo(true));
    assertThat(list("counted/"), equalTo(List.of("counted/x.png")));
    container.getBlobClient("counted/x.png").delete();
    assertThat("counted/x.png is gone once deleted",
        container.getBlobClient("counted/x.png").exists(), equalTo(false));

    StorageCalls calls = proxy.calls().minus(before);
    assertThat(calls.received(WRITE), equalTo(1L));
    assertThat(calls.received(READ), equalTo(1L));
    assertThat(calls.received(PROPERTIES), equalTo(2L));
    assertThat(calls.received(LIST), equalTo(1L));
    assertThat(calls.received(DELETE), equalTo(1L));
    assertThat(calls.totalReceived(), equalTo(6L));
    assertThat(calls.totalFaulted(), equalTo(0L));
  }

  @Test
  void answersAnErrorStatusWithRetryAfterOnlyForTheKindItTargets() throws Exception {
    proxy.inject(StorageFault.status(503).retryAfter(Duration.ofSeconds(7)).on(READ));
    BlobStorageException e = assertThrows(BlobStorageException.class,
        () -> container.getBlobClient("dirA/1.png").downloadContent());
    assertThat(e.getStatusCode(), equalTo(503));
    assertThat(e.getErrorCode().toString(), equalTo("ServerBusy"));
    assertThat(e.getResponse().getHeaderValue("Retry-After"), equalTo("7"));
    // Other kinds pass, on the same kept-alive connections.
    assertThat(list("dirA/"), equalTo(List.of("dirA/1.png")));
    assertThat("dirA/1.png exists: its properties pass the READ fault",
        container.getBlobClient("dirA/1.png").exists(), equalTo(true));

    proxy.clearFaults();
    proxy.inject(StorageFault.status(502).on(LIST));
    proxy.inject(StorageFault.status(504).on(PROPERTIES));
    assertThat(assertThrows(BlobStorageException.class, () -> list("dirA/")).getStatusCode(),
        equalTo(502));
    assertThat(assertThrows(BlobStorageException.class,
        () -> container.getBlobClient("dirA/1.png").exists()).getStatusCode(), equalTo(504));
    assertThat(container.getBlobClient("dirA/1.png").downloadContent().toString(),
        equalTo("a1"));
  }

  @Test
  void faultsOnlyTheRequestsNamingOneDirectory() {
    proxy.inject(StorageFault.status(500).onTargetsContaining("dirB/"));
    assertThat(assertThrows(BlobStorageException.class, () -> list("dirB/")).getStatusCode(),
        equalTo(500));
    assertThat(assertThrows(BlobStorageException.class,
        () -> container.getBlobClient("dirB/1.png").downloadContent()).getStatusCode(),
        equalTo(500));
    assertThat(list("dirA/"), equalTo(List.of("dirA/1.png")));
    assertThat(container.getBlobClient("dirA/1.png").downloadContent().toString(),
        equalTo("a1"));
  }

  @Test
  void resetsConnections() {
    proxy.inject(StorageFault.reset().on(LIST));
    StorageCalls before = proxy.calls();
    RuntimeException e = assertThrows(RuntimeException.class, () -> list("dirA/"));
    assertThat(rootCause(e), instanceOf(IOException.class));
    assertThat(proxy.calls().minus(before).faulted(LIST), equalTo(1L));
    assertThat(container.getBlobClient("dirA/1.png").downloadContent().toString(),
        equalTo("a1"));
  }

  @Test
  void stallsPastTheClientsTimeout() throws Exception {
    proxy.inject(StorageFault.stall(Duration.ofSeconds(5)).on(READ));
    HttpRequest read = HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/proxy-test/dirA/1.png"))
        .timeout(Duration.ofMillis(500)).build();
    StorageCalls before = proxy.calls();
    // The client gives up on its own timeout, before the stall ends in a reset.
    assertThrows(HttpTimeoutException.class,
        () -> HTTP.send(read, HttpResponse.BodyHandlers.ofString()),
        "the read was answered or reset instead of stalling past the client's timeout");
    assertThat("reads the proxy stalled", proxy.calls().minus(before).faulted(READ),
        equalTo(1L));
  }

  @Test
  void goesFullyDownForAWhileThenAnswersAgain() throws Exception {
    assertThat(list("dirA/"), equalTo(List.of("dirA/1.png")));
    proxy.down(Duration.ofSeconds(2));
    assertThat("the proxy is down for its 2 s", proxy.isDown(), equalTo(true));
    assertThrows(IOException.class, () -> get("/proxy-test?restype=container&comp=list"));
    assertThrows(RuntimeException.class, () -> list("dirA/"));
    Thread.sleep(2100);
    assertThat("the proxy is back up after its 2 s down", proxy.isDown(), equalTo(false));
    assertThat(list("dirA/"), equalTo(List.of("dirA/1.png")));
  }

  @Test
  void appliesAProbabilityAndAWindow() throws Exception {
    proxy.inject(StorageFault.status(503).on(PROPERTIES).probability(0.5));
    StorageCalls before = proxy.calls();
    // Unsigned probes: Azurite answers them 403; a 503 can only come from the proxy.
    long busy = 0;
    for (int i = 0; i < 200; i++) {
      busy += get("/proxy-test?restype=container").statusCode() == 503 ? 1 : 0;
    }
    StorageCalls calls = proxy.calls().minus(before);
    assertThat(calls.faulted(PROPERTIES), equalTo(busy));
    assertThat(busy, allOf(greaterThan(60L), lessThan(140L)));

    proxy.clearFaults();
    proxy.inject(StorageFault.status(503).during(Duration.ofMillis(800)));
    assertThat(get("/proxy-test?restype=container").statusCode(), equalTo(503));
    Thread.sleep(1000);
    assertThat(IntStream.range(0, 20).map(i -> {
      try {
        return get("/proxy-test?restype=container").statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(s -> s == 503).count(), equalTo(0L));
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
