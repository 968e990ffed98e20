package tally.kafka.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS files of a secured embedded broker, generated in this JVM at start-up: a CA, the broker's
 * key and certificate, a truststore with the CA and, for mutual TLS, a key and certificate per
 * client principal.
 *
 * <p>Keys are EC P-256 (generated in milliseconds; RSA 2048 takes ~100 ms each on a busy 2-core
 * box), signatures SHA256withECDSA, all through the JDK's own providers: BouncyCastle only builds
 * the certificates, no security provider is registered. The CA's private key lives only in memory
 * while the certificates are signed: it is never written, so nobody can issue another certificate
 * this broker trusts. Every keystore has its own random password; keystores and truststore are
 * PKCS12 files readable only by their owner.
 *
 * <p>Layout under the given directory: {@code ca.crt} (PEM, for non-Java tools), {@code
 * truststore.p12}, {@code broker.p12}, {@code <service>.p12}, {@code clients/<principal>.p12}.
 *
 * <p>A service certificate (e.g. {@code CN=flink} for the Flink processes of the no-Docker cluster)
 * is, like the broker's, for both server and client authentication with SAN {@code localhost}: it
 * lets another service use TLS from the same CA without holding the broker's own identity (which is
 * a Kafka super user).
 */
public final class TlsMaterial {

  /**
   * The broker's certificate must match the name clients connect to: {@code localhost} or {@code
   * 127.0.0.1}.
   */
  static final String SAN_DNS = "localhost";

  static final String SAN_IP = "127.0.0.1";

  private static final String KEY_ALGORITHM = "EC";
  private static final String CURVE = "secp256r1";
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final String STORE_TYPE = "PKCS12";
  private static final String CA_ALIAS = "tally-local-ca";

  /** A broker keeps its work dir across restarts; certificates must outlive a long-running demo. */
  private static final Duration VALIDITY = Duration.ofDays(365);

  /** Clock skew between this JVM and whoever checks the certificate (the same machine: little). */
  private static final Duration BACKDATE = Duration.ofHours(1);

  /**
   * A PKCS12 file and its password (store and key password are the same, as PKCS12 requires in
   * practice).
   */
  public record Store(Path location, String password) {
    @Override
    public String toString() {
      return "Store[" + location + "]"; // never the password
    }
  }

  private final Path caCertificate;
  private final Store truststore;
  private final Store brokerKeystore;
  private final Map<String, Store> clientKeystores;
  private final Map<String, Store> serviceKeystores;

  private TlsMaterial(
      Path caCertificate,
      Store truststore,
      Store brokerKeystore,
      Map<String, Store> clientKeystores,
      Map<String, Store> serviceKeystores) {
    this.caCertificate = caCertificate;
    this.truststore = truststore;
    this.brokerKeystore = brokerKeystore;
    this.clientKeystores = Collections.unmodifiableMap(clientKeystores);
    this.serviceKeystores = Collections.unmodifiableMap(serviceKeystores);
  }

  /**
   * Generates the CA, the broker's certificate (CN {@code brokerName}) and one client certificate
   * per name in {@code clientNames} (none for SASL_SSL, where clients authenticate with SCRAM).
   */
  static TlsMaterial generate(
      Path dir,
      String brokerName,
      Collection<String> clientNames,
      Collection<String> serviceNames,
      Supplier<String> passwords,
      SecureRandom random) {
    PrivateFiles.directory(dir);
    try {
      Instant now = Instant.now();
      KeyPairGenerator generator = KeyPairGenerator.getInstance(KEY_ALGORITHM);
      generator.initialize(new ECGenParameterSpec(CURVE), random);

      KeyPair caKeys = generator.generateKeyPair();
      // A fresh CA per start: a unique name says which start a certificate belongs to.
      X500Name caName =
          new X500Name("CN=Tally local CA " + HexFormat.of().formatHex(bytes(random, 4)));
      X509v3CertificateBuilder ca =
          builder(caName, caName, caKeys, now, random)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(ca, caKeys.getPrivate());

      Path caPem = dir.resolve("ca.crt");
      Files.writeString(caPem, pem(caCert), StandardCharsets.US_ASCII);
      Store truststore = new Store(dir.resolve("truststore.p12"), passwords.get());
      writeTruststore(truststore, caCert);

      // The broker's certificate serves both sides: server on its listeners, client towards its own
      // controller listener (mutual TLS) and, with mutual TLS, its own client listener.
      KeyPair brokerKeys = generator.generateKeyPair();
      X509v3CertificateBuilder broker = serviceLeaf(brokerName, caCert, brokerKeys, now, random);
      Store brokerStore = new Store(dir.resolve("broker.p12"), passwords.get());
      writeKeystore(
          brokerStore,
          brokerName,
          brokerKeys.getPrivate(),
          sign(broker, caKeys.getPrivate()),
          caCert);

      Map<String, Store> services = new LinkedHashMap<>();
      for (String name : serviceNames) {
        KeyPair keys = generator.generateKeyPair();
        X509Certificate cert =
            sign(serviceLeaf(name, caCert, keys, now, random), caKeys.getPrivate());
        Store store = new Store(dir.resolve(name + ".p12"), passwords.get());
        writeKeystore(store, name, keys.getPrivate(), cert, caCert);
        services.put(name, store);
      }

      Map<String, Store> clients = new LinkedHashMap<>();
      if (!clientNames.isEmpty()) {
        Path clientDir = PrivateFiles.directory(dir.resolve("clients"));
        for (String name : clientNames) {
          KeyPair keys = generator.generateKeyPair();
          X509Certificate cert =
              sign(
                  leaf(name, caCert, keys, now, random, KeyPurposeId.id_kp_clientAuth),
                  caKeys.getPrivate());
          Store store = new Store(clientDir.resolve(name + ".p12"), passwords.get());
          writeKeystore(store, name, keys.getPrivate(), cert, caCert);
          clients.put(name, store);
        }
      }
      return new TlsMaterial(caPem, truststore, brokerStore, clients, services);
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new KafkaStartException(
          "cannot generate the TLS certificates for the embedded broker: " + e, e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the TLS files of the embedded broker to " + dir, e);
    }
  }

  /** The CA certificate (PEM); its key was never stored. */
  public Path caCertificate() {
    return caCertificate;
  }

  /**
   * The CA, for the clients and for the broker (which verifies client and controller certificates
   * with it).
   */
  public Store truststore() {
    return truststore;
  }

  Store brokerKeystore() {
    return brokerKeystore;
  }

  /** The keystore of a service named at generation. */
  public Store serviceKeystore(String name) {
    Store store = serviceKeystores.get(name);
    if (store == null) {
      throw new IllegalArgumentException("no service certificate '" + name + "'");
    }
    return store;
  }

  /** Per principal, for mutual TLS; empty otherwise. */
  Map<String, Store> clientKeystores() {
    return clientKeystores;
  }

  /**
   * Subject DN of a certificate for this principal; {@code ssl.principal.mapping.rules} turns it
   * back into the name.
   */
  static String subject(String principal) {
    return "CN=" + principal;
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Instant now, SecureRandom random)
      throws GeneralSecurityException, CertIOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    return new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(1, bytes(random, 16)),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(VALIDITY)),
            subject,
            keys.getPublic())
        .addExtension(
            Extension.subjectKeyIdentifier,
            false,
            extensions.createSubjectKeyIdentifier(keys.getPublic()));
  }

  private static X509v3CertificateBuilder leaf(
      String principal,
      X509Certificate caCert,
      KeyPair keys,
      Instant now,
      SecureRandom random,
      KeyPurposeId... purposes)
      throws GeneralSecurityException, CertIOException {
    X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
    return builder(issuer, new X500Name(subject(principal)), keys, now, random)
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert))
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
  }

  /** Server and client authentication, SAN localhost and 127.0.0.1: the broker's and services'. */
  private static X509v3CertificateBuilder serviceLeaf(
      String name, X509Certificate caCert, KeyPair keys, Instant now, SecureRandom random)
      throws GeneralSecurityException, CertIOException {
    return leaf(
            name,
            caCert,
            keys,
            now,
            random,
            KeyPurposeId.id_kp_serverAuth,
            KeyPurposeId.id_kp_clientAuth)
        .addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, SAN_DNS),
                  new GeneralName(GeneralName.iPAddress, SAN_IP)
                }));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static void writeKeystore(
      Store store, String alias, PrivateKey key, X509Certificate cert, X509Certificate caCert)
      throws GeneralSecurityException, IOException {
    KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
    keystore.load(null, null);
    keystore.setKeyEntry(
        alias, key, store.password().toCharArray(), new Certificate[] {cert, caCert});
    save(keystore, store);
  }

  private static void writeTruststore(Store store, X509Certificate caCert)
      throws GeneralSecurityException, IOException {
    KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
    truststore.load(null, null);
    truststore.setCertificateEntry(CA_ALIAS, caCert);
    save(truststore, store);
  }

  private static void save(KeyStore keystore, Store store)
      throws GeneralSecurityException, IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    keystore.store(bytes, store.password().toCharArray());
    PrivateFiles.write(store.location(), bytes.toByteArray());
  }

  private static String pem(X509Certificate cert) throws GeneralSecurityException {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(cert.getEncoded());
    return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
  }

  private static byte[] bytes(SecureRandom random, int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
