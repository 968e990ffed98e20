package tally.kafka.local;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The secrets and settings of one secured embedded broker ({@link BrokerSecurity#SASL_SSL_SCRAM} or
 * {@link BrokerSecurity#MUTUAL_TLS}): random passwords, the TLS files, the security part of {@code
 * server.properties}, the SCRAM credentials for the storage format and the client properties per
 * principal.
 *
 * <p>Secrets leave this object only into files readable by their owner ({@code server.properties},
 * the client properties files, keystores) and into the in-JVM call of the storage formatter: never
 * into a command line (visible in {@code ps}), a log line or an exception message ({@link
 * #redact(String)} is applied to every text from Kafka that this module puts into an exception).
 *
 * <p>The same setup serves several brokers of one cluster (the no-Docker cluster's three, all on
 * this machine): one CA, one broker certificate for {@code localhost}, the same SCRAM credentials
 * formatted into each broker's storage, {@link #sharedServerProperties()} in every broker's file
 * and {@link #listenerProperties} per broker.
 */
public final class BrokerSecuritySetup {

  static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  /**
   * {@code CN=ledger} is {@code User:ledger}; any other subject keeps its full DN (and so has no
   * ACLs).
   */
  static final String PRINCIPAL_MAPPING_RULES = "RULE:^CN=([A-Za-z0-9._-]+)$/$1/,DEFAULT";

  static final String HIDDEN = "[hidden]";

  private static final Pattern PRINCIPAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String PASSWORD_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * 32 characters of 62: 190 bits. Letters and digits only: nothing to escape in JAAS, SCRAM
   * arguments or files.
   */
  private static final int PASSWORD_LENGTH = 32;

  private final BrokerSecurity mode;
  private final List<String> principals;

  /** SCRAM passwords per principal (SASL_SSL only), the broker's own included. */
  private final Map<String, String> scramPasswords;

  private final TlsMaterial tls;
  private final Set<String> secrets;

  private BrokerSecuritySetup(
      BrokerSecurity mode,
      List<String> principals,
      Map<String, String> scramPasswords,
      TlsMaterial tls,
      Set<String> secrets) {
    this.mode = mode;
    this.principals = principals;
    this.scramPasswords = scramPasswords;
    this.tls = tls;
    this.secrets = secrets;
  }

  /** Generates passwords and TLS files (under {@code tlsDir}) for a fresh broker. */
  static BrokerSecuritySetup generate(
      BrokerSecurity mode, List<String> requestedPrincipals, Path tlsDir) {
    return generate(mode, requestedPrincipals, List.of(), tlsDir);
  }

  /**
   * As above, plus a TLS keystore per name in {@code services} (server and client certificate for
   * {@code localhost}, e.g. for Flink's internal and REST TLS): {@code
   * tls().serviceKeystore(name)}.
   */
  public static BrokerSecuritySetup generate(
      BrokerSecurity mode, List<String> requestedPrincipals, List<String> services, Path tlsDir) {
    if (!mode.isSecured()) {
      throw new IllegalArgumentException("no security setup for " + mode);
    }
    List<String> principals = validatePrincipals(requestedPrincipals);
    SecureRandom random = new SecureRandom();
    Set<String> secrets = new LinkedHashSet<>();
    Supplier<String> passwords =
        () -> {
          String password = randomPassword(random);
          secrets.add(password);
          return password;
        };
    Map<String, String> scram = new LinkedHashMap<>();
    if (mode == BrokerSecurity.SASL_SSL_SCRAM) {
      scram.put(BrokerSecurity.BROKER_PRINCIPAL, passwords.get());
      principals.forEach(principal -> scram.put(principal, passwords.get()));
    }
    List<String> certificateClients = mode == BrokerSecurity.MUTUAL_TLS ? principals : List.of();
    TlsMaterial tls =
        TlsMaterial.generate(
            tlsDir,
            BrokerSecurity.BROKER_PRINCIPAL,
            certificateClients,
            services,
            passwords,
            random);
    return new BrokerSecuritySetup(
        mode,
        principals,
        Collections.unmodifiableMap(scram),
        tls,
        Collections.unmodifiableSet(secrets));
  }

  /** The requested names, with {@value BrokerSecurity#ADMIN} first (added if missing). */
  static List<String> validatePrincipals(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      throw new IllegalArgumentException("a secured broker needs at least one principal");
    }
    Set<String> seen = new HashSet<>();
    Set<String> unique = new LinkedHashSet<>();
    unique.add(BrokerSecurity.ADMIN);
    for (String name : requested) {
      if (name == null || !PRINCIPAL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "principal name '"
                + name
                + "' is not valid: use 1-64 letters, digits,"
                + " '.', '_' or '-', starting with a letter or digit");
      }
      if (name.equals(BrokerSecurity.BROKER_PRINCIPAL)) {
        throw new IllegalArgumentException(
            "principal name '" + name + "' is reserved for the broker itself");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("principal '" + name + "' is listed twice");
      }
      unique.add(name);
    }
    return List.copyOf(unique);
  }

  public BrokerSecurity mode() {
    return mode;
  }

  public List<String> principals() {
    return principals;
  }

  public TlsMaterial tls() {
    return tls;
  }

  /** The listener, TLS, SASL and authorizer settings of {@code server.properties}. */
  Map<String, String> serverProperties(String host, int port, int controllerPort) {
    Map<String, String> p = listenerProperties(mode, host, port, controllerPort);
    p.putAll(sharedServerProperties());
    return p;
  }

  /**
   * One broker's listeners (no secret): the secured client listener and the controller listener on
   * {@code host}.
   */
  public static Map<String, String> listenerProperties(
      BrokerSecurity mode, String host, int port, int controllerPort) {
    String listener = mode.listenerName();
    Map<String, String> p = new LinkedHashMap<>();
    // Two listeners only: the client listener and the controller listener. There is no PLAINTEXT
    // port at all.
    p.put(
        "listeners",
        listener
            + "://"
            + host
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + host
            + ":"
            + controllerPort);
    p.put("advertised.listeners", listener + "://" + host + ":" + port);
    return p;
  }

  /**
   * What every broker of the cluster shares: TLS, SASL, the authorizer (holds the keystore
   * passwords: only into files readable by their owner).
   */
  public Map<String, String> sharedServerProperties() {
    String listener = mode.listenerName();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    // Inter-broker traffic (e.g. the transaction coordinator's markers, sent to itself) uses the
    // secured listener.
    p.put("inter.broker.listener.name", listener);
    // The controller listener is TLS with a required client certificate: only holders of a
    // certificate from
    // this start's CA get a TLS session at all (SCRAM cannot protect a KRaft controller listener).
    p.put(
        "listener.security.protocol.map",
        listener + ":" + mode.securityProtocol() + "," + CONTROLLER_LISTENER + ":SSL");
    p.put(
        "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".ssl.client.auth",
        "required");

    TlsMaterial.Store keystore = tls.brokerKeystore();
    TlsMaterial.Store truststore = tls.truststore();
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.location().toString());
    p.put("ssl.keystore.password", keystore.password());
    p.put("ssl.key.password", keystore.password());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.location().toString());
    p.put("ssl.truststore.password", truststore.password());
    // The default, stated: the broker as a client (of itself) checks that the certificate names
    // localhost.
    p.put("ssl.endpoint.identification.algorithm", "https");
    p.put("ssl.principal.mapping.rules", PRINCIPAL_MAPPING_RULES);

    if (mode == BrokerSecurity.SASL_SSL_SCRAM) {
      p.put("ssl.client.auth", "none");
      p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
      // The server side needs no JAAS entries for SCRAM (credentials are in the metadata log); this
      // one is
      // the broker's own login as a client of its SASL_SSL listener.
      p.put(
          "listener.name."
              + listener.toLowerCase(Locale.ROOT)
              + "."
              + SCRAM_MECHANISM.toLowerCase(Locale.ROOT)
              + ".sasl.jaas.config",
          jaasConfig(
              BrokerSecurity.BROKER_PRINCIPAL,
              scramPasswords.get(BrokerSecurity.BROKER_PRINCIPAL)));
    } else {
      p.put("ssl.client.auth", "required");
    }

    p.put("authorizer.class.name", AUTHORIZER);
    p.put("allow.everyone.if.no.acl.found", "false");
    p.put(
        "super.users", "User:" + BrokerSecurity.ADMIN + ";User:" + BrokerSecurity.BROKER_PRINCIPAL);
    return p;
  }

  /**
   * {@code --add-scram} arguments for the storage format (SASL_SSL only): credentials exist before
   * the first start.
   */
  public List<String> scramFormatArguments() {
    List<String> args = new ArrayList<>();
    scramPasswords.forEach(
        (name, password) -> {
          args.add("--add-scram");
          args.add(SCRAM_MECHANISM + "=[name=" + name + ",password=" + password + "]");
        });
    return args;
  }

  /**
   * Everything a Kafka client of this principal needs, in the order the properties file lists it.
   */
  Map<String, String> clientProperties(String principal, String bootstrapServers) {
    requirePrincipal(principal);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("security.protocol", mode.securityProtocol());
    if (mode == BrokerSecurity.SASL_SSL_SCRAM) {
      p.put("sasl.mechanism", SCRAM_MECHANISM);
      p.put("sasl.jaas.config", jaasConfig(principal, scramPasswords.get(principal)));
    } else {
      TlsMaterial.Store keystore = tls.clientKeystores().get(principal);
      p.put("ssl.keystore.type", "PKCS12");
      p.put("ssl.keystore.location", keystore.location().toString());
      p.put("ssl.keystore.password", keystore.password());
      p.put("ssl.key.password", keystore.password());
    }
    TlsMaterial.Store truststore = tls.truststore();
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.location().toString());
    p.put("ssl.truststore.password", truststore.password());
    return p;
  }

  Properties clientPropertiesObject(String principal, String bootstrapServers) {
    Properties properties = new Properties();
    properties.putAll(clientProperties(principal, bootstrapServers));
    return properties;
  }

  /**
   * Writes {@code <principal>.properties} (mode 0600) for every principal into {@code dir} (mode
   * 0700).
   */
  public void writeClientFiles(Path dir, String bootstrapServers) {
    PrivateFiles.directory(dir);
    for (String principal : principals) {
      StringBuilder text =
          new StringBuilder()
              .append("# Kafka client properties for User:")
              .append(principal)
              .append(" of the Kafka at ")
              .append(bootstrapServers)
              .append(" (")
              .append(mode)
              .append(").\n")
              .append(
                  "# Written by Tally (tally.kafka.local). Holds a secret: keep it"
                      + " private.\n");
      clientProperties(principal, bootstrapServers)
          .forEach(
              (key, value) ->
                  text.append(key)
                      .append('=')
                      .append(BrokerWorkDir.escapePropertyValue(value))
                      .append('\n'));
      PrivateFiles.writeString(clientFile(dir, principal), text.toString());
    }
  }

  public static Path clientFile(Path dir, String principal) {
    return dir.resolve(principal + ".properties");
  }

  void requirePrincipal(String principal) {
    if (!principals.contains(principal)) {
      throw new IllegalArgumentException(
          "no principal '" + principal + "' on this broker; its principals are " + principals);
    }
  }

  /** The text with every secret of this broker replaced by {@value #HIDDEN}. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, HIDDEN);
    }
    return redacted;
  }

  /** For tests: every password this setup generated. */
  Set<String> secrets() {
    return secrets;
  }

  private static String jaasConfig(String user, String password) {
    // Names and passwords hold no quotes or backslashes (validated / generated), so nothing needs
    // escaping.
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String randomPassword(SecureRandom random) {
    StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
    for (int i = 0; i < PASSWORD_LENGTH; i++) {
      password.append(PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length())));
    }
    return password.toString();
  }

  @Override
  public String toString() {
    return "BrokerSecuritySetup[" + mode + ", principals " + principals + "]"; // never a secret
  }
}
