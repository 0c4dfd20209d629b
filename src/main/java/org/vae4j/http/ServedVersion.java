package org.vae4j.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.vae4j.serve.SignatureInfo;
import org.vae4j.serve.Vae;

/** One loaded version of a served model: its {@link Vae}, shared by every request, and its signatures by key. */
final class ServedVersion {
  private final long version;
  private final Vae vae;
  private final Map<String, SignatureInfo> signatures = new LinkedHashMap<>();
  private volatile Explorer.Summary summary;

  ServedVersion(long version, Vae vae) {
    this.version = version;
    this.vae = vae;
    for (SignatureInfo s : vae.signatures()) {
      signatures.put(s.key(), s);
    }
  }

  long version() {
    return version;
  }

  Vae vae() {
    return vae;
  }

  /** The signature of this key, or null. */
  SignatureInfo signature(String key) {
    return signatures.get(key);
  }

  String signatureKeys() {
    return String.join(", ", new TreeSet<>(signatures.keySet()));
  }

  List<SignatureInfo> signatures() {
    return List.copyOf(signatures.values());
  }

  /** What the web page shows of this version, worked out at the first request and kept. */
  Explorer.Summary summary() {
    Explorer.Summary s = summary;
    if (s == null) {
      synchronized (this) {
        if (summary == null) {
          summary = Explorer.summarize(vae);
        }
        s = summary;
      }
    }
    return s;
  }
}
