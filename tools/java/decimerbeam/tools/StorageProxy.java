package decimerbeam.tools;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy on loopback in front of Azurite that counts Blob Storage requests by kind
 * and injects faults into them: error statuses (with {@code Retry-After}), connection resets,
 * stalls past the client's timeout, and outages. Requests are relayed byte for byte (method,
 * path, query, headers, body), so SharedKey signatures, which do not cover the host, stay valid
 * when a connection string's BlobEndpoint names the proxy ({@link #connectionString()}).
 *
 * <pre>{@code
 * try (Azurite azurite = Azurite.start(); StorageProxy proxy = StorageProxy.inFrontOf(azurite)) {
 *   StorageCalls before = proxy.calls();
 *   ... run against proxy.connectionString() ...
 *   long reads = proxy.calls().minus(before).received(StorageRequestKind.READ);
 *   proxy.inject(StorageFault.status(503).retryAfter(Duration.ofSeconds(1)).probability(0.1));
 *   proxy.down(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Each request gets its own connection to Azurite; client connections are kept alive.
 */
public final class StorageProxy implements AutoCloseable {

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  /** A fault in force until {@code untilNanos} ({@link Long#MAX_VALUE}: until cleared). */
  private record Active(StorageFault fault, long untilNanos) {}

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "storage-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final Map<StorageRequestKind, AtomicLong> received = counters();
  private final Map<StorageRequestKind, AtomicLong> faulted = counters();
  private final List<Active> faults = new CopyOnWriteArrayList<>();
  private volatile long downUntilNanos = Long.MIN_VALUE;
  private volatile boolean closed;

  private StorageProxy(ServerSocket server, int upstreamPort) {
    this.server = server;
    this.upstreamPort = upstreamPort;
  }

  /** A proxy on a free loopback port relaying to {@code 127.0.0.1:upstreamPort}. */
  public static StorageProxy start(int upstreamPort) throws IOException {
    ServerSocket s = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    StorageProxy proxy = new StorageProxy(s, upstreamPort);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  public static StorageProxy inFrontOf(Azurite azurite) throws IOException {
    return start(azurite.port);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The blob endpoint of Azurite's account, through this proxy. */
  public String endpoint() {
    return "http://127.0.0.1:" + port() + "/" + Azurite.ACCOUNT;
  }

  /** Azurite's connection string with the proxy as its BlobEndpoint. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT + ";AccountKey="
        + Azurite.KEY + ";BlobEndpoint=" + endpoint() + ";";
  }

  /** The options that point the pipeline at Azurite through this proxy. */
  public List<String> pipelineArgs() {
    return List.of("--azureConnectionString=" + connectionString());
  }

  /** The requests seen so far, by kind. */
  public StorageCalls calls() {
    return new StorageCalls(snapshot(received), snapshot(faulted));
  }

  /** Adds a fault; it applies to requests that arrive from now on, before later ones. */
  public void inject(StorageFault fault) {
    long until = fault.window() == null ? Long.MAX_VALUE
        : System.nanoTime() + fault.window().toNanos();
    faults.add(new Active(fault, until));
  }

  /** Removes every injected fault and ends an outage. */
  public void clearFaults() {
    faults.clear();
    downUntilNanos = Long.MIN_VALUE;
  }

  /**
   * Fully down for {@code d}: open connections are reset now, and every request or connection
   * until then is reset (counted as faulted where its request could be read).
   */
  public void down(Duration d) {
    downUntilNanos = System.nanoTime() + d.toNanos();
    for (Socket c : clients) {
      reset(c);
    }
  }

  /** Ends an outage early. */
  public void up() {
    downUntilNanos = Long.MIN_VALUE;
  }

  public boolean isDown() {
    return System.nanoTime() < downUntilNanos;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket c : clients) {
      reset(c);
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (isDown()) {
          reset(client);
          continue;
        }
        clients.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("storage proxy: accept failed: " + e);
        }
      }
    }
  }

  /** One client connection: requests one after another until either side closes. */
  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      while (!closed) {
        Head request = Head.read(in);
        if (request == null) {
          return;
        }
        if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        byte[] body = Body.read(in, request, false);
        StorageRequestKind kind = StorageRequestKind.of(request.method(), request.target());
        received.get(kind).incrementAndGet();
        if (isDown()) {
          faulted.get(kind).incrementAndGet();
          reset(client);
          return;
        }
        StorageFault fault = pick(kind, request.target());
        if (fault != null) {
          faulted.get(kind).incrementAndGet();
          if (!inject(fault, request, client, out)) {
            return;
          }
          continue;
        }
        if (!relay(request, body, out) || request.says("connection", "close")) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away, or Azurite did: the client sees its connection closed.
    } finally {
      clients.remove(client);
    }
  }

  private StorageFault pick(StorageRequestKind kind, String target) {
    long now = System.nanoTime();
    for (Active a : faults) {
      if (now >= a.untilNanos()) {
        faults.remove(a);
      } else if (a.fault().appliesTo(kind, target)
          && ThreadLocalRandom.current().nextDouble() < a.fault().probability()) {
        return a.fault();
      }
    }
    return null;
  }

  /** Applies {@code fault}; true when the connection can carry the next request. */
  private boolean inject(StorageFault fault, Head request, Socket client, OutputStream out)
      throws IOException {
    switch (fault.action()) {
      case STATUS -> {
        out.write(errorResponse(fault, request));
        out.flush();
        return true;
      }
      case RESET -> {
        reset(client);
        return false;
      }
      case STALL -> {
        long until = System.nanoTime() + fault.stall().toNanos();
        try {
          while (!closed && !client.isClosed() && System.nanoTime() < until) {
            Thread.sleep(50);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        reset(client);
        return false;
      }
    }
    throw new IllegalStateException("unknown fault " + fault.action());
  }

  /** Azure's error shape: status, {@code x-ms-error-code}, XML body, optional Retry-After. */
  private static byte[] errorResponse(StorageFault fault, Head request) {
    String code = switch (fault.status()) {
      case 500 -> "InternalError";
      case 503 -> "ServerBusy";
      case 408 -> "OperationTimedOut";
      default -> "InjectedFault";
    };
    byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code
        + "</Code><Message>injected by StorageProxy</Message></Error>")
        .getBytes(StandardCharsets.UTF_8);
    boolean head = "HEAD".equalsIgnoreCase(request.method());
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(fault.status()).append(' ')
        .append(code).append("\r\n")
        .append("Content-Type: application/xml\r\n")
        .append("x-ms-error-code: ").append(code).append("\r\n")
        .append("Content-Length: ").append(head ? 0 : body.length).append("\r\n");
    if (!fault.retryAfter().isZero()) {
      h.append("Retry-After: ").append(fault.retryAfter().toSeconds()).append("\r\n");
    }
    h.append("\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      all.writeBytes(body);
    }
    return all.toByteArray();
  }

  /** Forwards one request to Azurite and its answer back; true when the client may go on. */
  private boolean relay(Head request, byte[] body, OutputStream out) throws IOException {
    try (Socket upstream = new Socket()) {
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort),
          10_000);
      OutputStream up = new BufferedOutputStream(upstream.getOutputStream());
      up.write(request.raw());
      up.write(body);
      up.flush();
      InputStream down = new BufferedInputStream(upstream.getInputStream());
      Head response;
      do {
        response = Head.read(down);
        if (response == null) {
          throw new EOFException("Azurite closed the connection without an answer");
        }
      } while (response.status() / 100 == 1); // interim answers: the client had its 100 already
      out.write(response.raw());
      boolean noBody = "HEAD".equalsIgnoreCase(request.method()) || response.status() == 204
          || response.status() == 304;
      boolean untilClose = !noBody && response.header("content-length") == null
          && !response.says("transfer-encoding", "chunked");
      if (untilClose) {
        down.transferTo(out);
      } else if (!noBody) {
        out.write(Body.read(down, response, true));
      }
      out.flush();
      return !untilClose && !response.says("connection", "close");
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (SocketException alreadyClosed) {
      // nothing left to reset
    } catch (IOException e) {
      // closing is best effort
    }
  }

  private static Map<StorageRequestKind, AtomicLong> counters() {
    Map<StorageRequestKind, AtomicLong> m = new EnumMap<>(StorageRequestKind.class);
    for (StorageRequestKind k : StorageRequestKind.values()) {
      m.put(k, new AtomicLong());
    }
    return m;
  }

  private static Map<StorageRequestKind, Long> snapshot(Map<StorageRequestKind, AtomicLong> m) {
    Map<StorageRequestKind, Long> s = new EnumMap<>(StorageRequestKind.class);
    m.forEach((k, v) -> s.put(k, v.get()));
    return s;
  }

  /** A request or status line with its headers, kept as the bytes that came in. */
  private record Head(byte[] raw, String firstLine, List<String[]> headers) {

    /** The next head on {@code in}, or null at a clean end of stream. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (raw.size() == 0) {
            return null;
          }
          throw new EOFException("connection closed inside an HTTP head");
        }
        raw.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        if (raw.size() > MAX_HEAD_BYTES) {
          throw new IOException("HTTP head longer than " + MAX_HEAD_BYTES + " bytes");
        }
      }
      byte[] bytes = raw.toByteArray();
      String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(new String[] {lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).strip()});
        }
      }
      return new Head(bytes, lines[0], headers);
    }

    String header(String lowerName) {
      for (String[] h : headers) {
        if (h[0].equals(lowerName)) {
          return h[1];
        }
      }
      return null;
    }

    boolean says(String lowerName, String token) {
      String v = header(lowerName);
      return v != null && v.toLowerCase(Locale.ROOT).contains(token);
    }

    String method() {
      return firstLine.split(" ", 3)[0];
    }

    String target() {
      String[] parts = firstLine.split(" ", 3);
      return parts.length > 1 ? parts[1] : "";
    }

    int status() {
      String[] parts = firstLine.split(" ", 3);
      return parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 0;
    }
  }

  /** A message body as framed by Content-Length or chunked encoding, kept as raw bytes. */
  private static final class Body {

    static byte[] read(InputStream in, Head head, boolean response) throws IOException {
      if (head.says("transfer-encoding", "chunked")) {
        return chunked(in);
      }
      String length = head.header("content-length");
      if (length == null) {
        if (response) {
          throw new IllegalStateException("caller reads unframed responses to the end");
        }
        return new byte[0];
      }
      return in.readNBytes(Math.toIntExact(Long.parseLong(length)));
    }

    private static byte[] chunked(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line(in, raw);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(),
            16);
        if (size == 0) {
          while (!line(in, raw).isEmpty()) {
            // trailers, relayed as they are
          }
          return raw.toByteArray();
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
          throw new EOFException("connection closed inside a chunk");
        }
        raw.writeBytes(data);
        line(in, raw);
      }
    }

    /** Reads one CRLF-terminated line into {@code raw}, returning it without the CRLF. */
    private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
      StringBuilder s = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        raw.write(b);
        if (b == '\n') {
          return s.toString().strip();
        }
        s.append((char) b);
      }
      throw new EOFException("connection closed inside a chunked body");
    }
  }
}
